import type { Command } from 'commander';
import { DEFAULT_TIME_ZONE, renderForm } from '../../checks/index.js';
import { loadCollectorConfig, type CollectorFlags } from '../../collector/index.js';
import { startQuickstart } from '../quickstart.js';
import { runMain } from '../exit.js';

/** `xunjian start`: the collector on SQLite plus this host's agent — what `npm start` runs. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('start the collector (embedded SQLite) and an agent inspecting this machine')
    .option('-c, --config <file>', 'collector configuration file [env XUNJIAN_CONFIG]')
    .option('--data-dir <dir>', 'data directory (default ./data) [env XUNJIAN_DATA_DIR]')
    .option('--host <host>', 'listen address (default 127.0.0.1) [env XUNJIAN_HOST]')
    .option('-p, --port <port>', 'listen port (default 8470) [env XUNJIAN_PORT]')
    .option('--log-level <level>', 'collector log level (default warn here: the terminal shows the form) [env XUNJIAN_LOG_LEVEL]')
    .option('--site <site>', 'site name for this machine', 'local')
    .option('--first-window <duration>', 'CPU window of the first inspection', '15s')
    .option('--cadence <duration>', 'inspection cadence after the first', '5m')
    .action((flags: CollectorFlags & { site: string; firstWindow: string; cadence: string }) =>
      runMain('start', async () => {
        const config = loadCollectorConfig({ logLevel: process.env.XUNJIAN_LOG_LEVEL ?? 'warn', ...flags });
        const started = await startQuickstart(config, {
          site: flags.site,
          firstWindow: flags.firstWindow,
          cadence: flags.cadence,
          onFirstInspection: (report, results) => {
            process.stdout.write(`\nfirst inspection of ${report.identity.hostname} stored:\n${renderForm(report, results, 'zh', DEFAULT_TIME_ZONE)}\n`);
            process.stdout.write(`\nreview it in the dashboard: ${started.collector.url}/sites/${flags.site}/review\n`);
          },
        });
        process.stdout.write(
          [
            `collector listening on ${started.collector.url} — dashboard ${started.collector.url}/ · API docs ${started.collector.url}/docs`,
            started.syslog,
            ...(started.firstAdmin ? [`dashboard log-in (shown once): user ${started.firstAdmin.name}, password ${started.firstAdmin.password}`] : []),
            `agent inspecting this machine for site "${flags.site}": first inspection in ${flags.firstWindow}, then every ${flags.cadence} (config ${started.agentConfigPath})`,
            'Ctrl-C stops both.',
            '',
          ].join('\n'),
        );
        const stop = () => void started.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      }),
    );
}
