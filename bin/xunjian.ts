#!/usr/bin/env node
/** `xunjian` — the collector server and the host agent. Each subcommand lives in bin/commands/. */
import { Command } from 'commander';
import { registerAgentCommands } from './commands/agent.js';
import { registerCollectorCommands } from './commands/collector.js';
import { registerStartCommand } from './commands/start.js';
import { registerUserCommands } from './commands/users.js';
import { registerDeviceCommands } from './commands/devices.js';
import { runMain } from './exit.js';

const program = new Command('xunjian')
  .description('Xunjian 巡检: automated inspection and fault service for servers, network gear and UPS units')
  .showHelpAfterError()
  // Before the subcommands are added, so that they inherit it: usage errors exit 2, not 1.
  .exitOverride();

registerStartCommand(program);
registerCollectorCommands(program);
registerUserCommands(program);
registerDeviceCommands(program);
registerAgentCommands(program);

await runMain('xunjian', async () => {
  await program.parseAsync(process.argv);
  // Each action sets process.exitCode through its own runMain; keep it.
  return process.exitCode as number | undefined;
});
