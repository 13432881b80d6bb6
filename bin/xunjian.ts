#!/usr/bin/env node
/** `xunjian` — the collector server and the host agent. Each subcommand lives in bin/commands/. */
import { Command } from 'commander';
import { registerAgentCommands } from './commands/agent.js';
import { registerCollectorCommands } from './commands/collector.js';
import { registerStartCommand } from './commands/start.js';

const program = new Command('xunjian')
  .description('Xunjian 巡检: automated inspection and fault service for servers, network gear and UPS units')
  .showHelpAfterError();

registerStartCommand(program);
registerCollectorCommands(program);
registerAgentCommands(program);

await program.parseAsync(process.argv);
