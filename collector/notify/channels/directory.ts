import type { CollectorConfig } from '../../../schemas/index.js';
import type { CredentialBox } from '../../poller/index.js';
import type { Db } from '../../storage/db.js';
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
export function channelDirectory(db: Db, box: CredentialBox): ChannelDirectory {
  const repo = new ChannelsRepository(db, box);
  const built = new Map<string, { version: string; channel: Channel }>();
  return {
    get(name) {
      const version = repo.version(name);
      const hit = built.get(name);
      if (hit && hit.version === version) return hit.channel;
      hit?.channel.close?.();
      if (version === undefined) {
        built.delete(name);
        return undefined;
      }
      let channel: Channel;
      try {
        channel = buildChannel(repo.config(name));
      } catch (err) {
        channel = unusable(name, repo.get(name).kind, err instanceof Error ? err.message : String(err));
      }
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
export const channelDirectoryFor = (db: Db, config?: Pick<CollectorConfig, 'snmp'>): ChannelDirectory => channelDirectory(db, channelBox(config));

function unusable(name: string, kind: Channel['kind'], reason: string): Channel {
  return { name, kind, send: async () => ({ outcome: 'dead', reason: `channel ${name} cannot be used: ${reason}` }) };
}
