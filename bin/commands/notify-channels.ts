import { Option, type Command } from 'commander';
import type { CollectorFlags } from '../../collector/index.js';
import { loadCollectorConfig } from '../../collector/index.js';
import { describeTest, testChannelFromCli } from '../../collector/notify/channels/index.js';
import type { Store } from '../../collector/storage/store.js';
import { EXIT, runMain } from '../exit.js';

/** `xunjian collector notify test --channel NAME` (the logic is collector/notify/channels/cli.ts). */
export function registerNotifyChannelCommands(notify: Command, withStorageOptions: (cmd: Command) => Command, openExistingStore: (flags: CollectorFlags) => Promise<Store>): void {
  withStorageOptions(notify.command('test').description('send a test message through a notification channel now; exit 0 when the far end took it'))
    .requiredOption('--channel <name>', 'the channel\'s name')
    .addOption(new Option('--lang <lang>', 'language of the test message').choices(['zh', 'en']).default('zh'))
    .option('--to <addresses>', 'e-mail channels: comma-separated recipients instead of the channel\'s')
    .option('--json', 'print the result as JSON')
    .action((flags: CollectorFlags & { channel: string; lang: 'zh' | 'en'; to?: string; json?: boolean }) =>
      runMain('collector notify test', async () => {
        const config = loadCollectorConfig(flags);
        const store = await openExistingStore(flags);
        try {
          const to = flags.to?.split(',').map((s) => s.trim()).filter(Boolean);
          const result = await testChannelFromCli(store, config, flags.channel, { lang: flags.lang, ...(to?.length ? { to } : {}) });
          process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${flags.channel}: ${describeTest(result)}\n`);
          return result.outcome === 'sent' ? EXIT.normal : EXIT.abnormal;
        } finally {
          await store.close();
        }
      }),
    );
}
