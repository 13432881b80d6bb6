import { Command } from 'commander';
import {
  DEFAULT_CONFIG_PATH,
  DEFAULT_UNIT_PATH,
  createLog,
  enroll,
  formatStatus,
  install,
  loadAgentConfig,
  startAgent,
  statusView,
  uninstall,
} from '../../agent/index.js';
import { runMain } from '../exit.js';

interface ConfigFlag {
  config?: string;
}

const configOption = (cmd: Command) =>
  cmd.option('-c, --config <file>', `agent configuration file (default ${DEFAULT_CONFIG_PATH}) [env XUNJIAN_AGENT_CONFIG]`);

/** `xunjian agent …`: run, enroll, status, install, uninstall. */
export function registerAgentCommands(program: Command): void {
  const agent = program.command('agent').description('the host agent: measures the six checks here and sends them to the collector');

  configOption(agent.command('run'))
    .description('run the agent in the foreground (systemd, SRC or a Windows service wrapper keep it running)')
    .action((flags: ConfigFlag) =>
      runMain('agent', async () => {
        const config = loadAgentConfig(flags.config);
        const handle = await startAgent(config, { log: createLog() });
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off('SIGTERM', stop);
            process.off('SIGINT', stop);
            void handle.stop().then(resolve);
          };
          process.on('SIGTERM', stop);
          process.on('SIGINT', stop);
        });
        return 0;
      }),
    );

  configOption(agent.command('enroll'))
    .description('store the agent token (0600) and the collector URL and site in the configuration')
    .requiredOption('--collector <url>', 'collector base URL, e.g. https://collector:8470 (several, comma-separated, for collectors sharing one database)')
    .requiredOption('--token <token>', 'agent token from `xunjian collector token create --role agent`')
    .requiredOption('--site <site>', 'site this host belongs to')
    .option('--token-file <file>', 'where to keep the token (default <stateDir>/token)')
    .option('--hostname <name>', 'device name to report instead of the OS hostname')
    .action((flags: ConfigFlag & { collector: string; token: string; site: string; tokenFile?: string; hostname?: string }) =>
      runMain('agent enroll', async () => {
        const r = enroll({
          configPath: flags.config ?? process.env.XUNJIAN_AGENT_CONFIG ?? DEFAULT_CONFIG_PATH,
          collectorUrl: flags.collector,
          token: flags.token,
          site: flags.site,
          ...(flags.tokenFile ? { tokenFile: flags.tokenFile } : {}),
          ...(flags.hostname ? { hostname: flags.hostname } : {}),
        });
        process.stdout.write(`enrolled: token in ${r.tokenFile} (mode 0600), configuration ${r.configPath}\n`);
        return 0;
      }),
    );

  configOption(agent.command('status'))
    .description('last delivery, spool depth, last error (exit 1 when something needs attention)')
    .option('--json', 'print the status as JSON')
    .action((flags: ConfigFlag & { json?: boolean }) =>
      runMain('agent status', async () => {
        const view = statusView(loadAgentConfig(flags.config));
        process.stdout.write(flags.json ? `${JSON.stringify(view, null, 2)}\n` : `${formatStatus(view)}\n`);
        return view.exitCode;
      }),
    );

  configOption(agent.command('install'))
    .description('write the hardened systemd unit, create the agent user, enable and start it')
    .option('--unit-path <file>', 'unit file to write', DEFAULT_UNIT_PATH)
    .option('--user <name>', 'dedicated user to run as', 'xunjian')
    .option('--as-root', 'run as root (when the narrow grants in agent/README.md are not possible)')
    .option('--exec-start <command>', 'command line that starts `agent run` (default: this node and script)')
    .option('--no-create-user', 'do not create the user or chown the spool/state dirs')
    .option('--no-systemctl', 'only write the unit file (no daemon-reload / enable --now)')
    .action((flags: ConfigFlag & { unitPath: string; user: string; asRoot?: boolean; execStart?: string; createUser: boolean; systemctl: boolean }) =>
      runMain('agent install', async () => {
        const configPath = flags.config ?? process.env.XUNJIAN_AGENT_CONFIG ?? DEFAULT_CONFIG_PATH;
        const config = loadAgentConfig(configPath);
        install({
          unitPath: flags.unitPath,
          configPath,
          config,
          user: flags.user,
          asRoot: Boolean(flags.asRoot),
          ...(flags.execStart ? { execStart: flags.execStart } : {}),
          createUser: flags.createUser,
          systemctl: flags.systemctl,
          log: (l) => process.stdout.write(`${l}\n`),
        });
        return 0;
      }),
    );

  agent
    .command('uninstall')
    .description('stop, disable and remove the systemd unit (the spool and state are kept)')
    .option('--unit-path <file>', 'unit file to remove', DEFAULT_UNIT_PATH)
    .option('--no-systemctl', 'only remove the unit file')
    .action((flags: { unitPath: string; systemctl: boolean }) =>
      runMain('agent uninstall', async () => {
        uninstall({ unitPath: flags.unitPath, systemctl: flags.systemctl, log: (l) => process.stdout.write(`${l}\n`) });
        return 0;
      }),
    );
}
