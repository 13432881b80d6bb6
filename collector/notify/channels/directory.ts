import type { CollectorConfig } from '../../../schemas/index.js';
import type { CredentialBox } from '../../poller/index.js';
import type { Store } from '../../storage/store.js';
import { buildChannel } from './kinds.js';
import { ChannelsRepository } from './repository.js';
import { channelBox } from './secrets.js';
import type { Channel, ChannelDirectory } from './types.js';

/**
 * The channels the sender is given: read from the database on each `get`, so a channel changed
 * through the API is used at once; a built channel is kept while its row is unchanged. A channel
 * whose secrets cannot be opened (the key was changed) still answers — every send is `dead` with
 * the reason — so the message lands in the dead letters with an explanation, never vanishes.
 * A channel replaced by a newer row, or deleted, is closed (its SMTP pool let go).
 */
export function channelDirectory(store: Store, box: CredentialBox): ChannelDirectory & { close(): void } {
  const repo = new ChannelsRepository(store, box);
  const built = new Map<string, { version: string; channel: Channel }>();
  return {
    async get(name) {
      const version = await repo.version(name);
      const hit = built.get(name);
      if (hit && hit.version === version) return hit.channel;
      if (version === undefined) {
        hit?.channel.close?.();
        built.delete(name);
        return undefined;
      }
      let channel: Channel;
      try {
        channel = buildChannel(await repo.config(name));
      } catch (err) {
        channel = unusable(name, (await repo.get(name)).kind, err instanceof Error ? err.message : String(err));
      }
      // Two sends asking at once build it twice: the first one kept wins, the other is let go.
      const now = built.get(name);
      if (now && now.version === version) {
        channel.close?.();
        return now.channel;
      }
      now?.channel.close?.();
      built.set(name, { version, channel });
      return channel;
    },
    list: () => repo.names(),
    close() {
      for (const { channel } of built.values()) channel.close?.();
      built.clear();
    },
  };
}

/** The directory over the collector's database, sealed with its configured key. */
export const channelDirectoryFor = (store: Store, config?: Pick<CollectorConfig, 'snmp'>) => channelDirectory(store, channelBox(config));

function unusable(name: string, kind: Channel['kind'], reason: string): Channel {
  return { name, kind, send: async () => ({ outcome: 'dead', reason: `channel ${name} cannot be used: ${reason}` }) };
}
