import { XunjianError, type ChannelTestResult, type CollectorConfig } from '../../../schemas/index.js';
import type { Store } from '../../storage/store.js';
import { sendTest } from './actions.js';
import { channelDirectory } from './directory.js';
import { ChannelsRepository } from './repository.js';
import { channelBox } from './secrets.js';

/**
 * `xunjian collector notify test --channel NAME`: one test message through the channel as stored
 * in the database (secrets opened with the configured key), its outcome recorded on the channel
 * like the dashboard's button does. Runs beside a running collector: it only reads the channel and
 * writes its last test.
 */
export async function testChannelFromCli(store: Store, config: Pick<CollectorConfig, 'snmp'>, name: string, options: { lang?: 'zh' | 'en'; to?: string[] } = {}, at = new Date()): Promise<ChannelTestResult> {
  const box = channelBox(config);
  const channels = new ChannelsRepository(store, box);
  if (!(await channels.exists(name))) {
    const known = await channels.names();
    throw new XunjianError('USAGE', `no channel ${name}${known.length ? ` (channels: ${known.join(', ')})` : ' (none is configured yet)'}`);
  }
  const directory = channelDirectory(store, box);
  try {
    return await sendTest(channels, directory, name, { ...(options.lang ? { lang: options.lang } : {}), ...(options.to?.length ? { to: options.to } : {}) }, at);
  } finally {
    directory.close();
  }
}

/** One line a person reads: what happened and, for a failure, why and when to try again. */
export function describeTest(r: ChannelTestResult): string {
  if (r.outcome === 'sent') return `sent: ${r.detail}`;
  const after = r.afterMs !== undefined ? ` (try again in ${Math.ceil(r.afterMs / 1000)} s)` : '';
  return `${r.outcome === 'retry' ? 'not delivered, temporary' : 'not delivered, refused'}: ${r.detail}${after}`;
}
