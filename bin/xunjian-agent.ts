#!/usr/bin/env node
/**
 * `xunjian-agent` — the host agent alone: the entry the installed service runs
 * (`node dist/bin/xunjian-agent.js agent run`). It registers only the agent commands, so the
 * daemon never loads the collector (fastify, SQLite, PDF and Excel writers) that `xunjian.js`
 * brings in: that is most of the agent's memory. The same commands are `xunjian agent …`.
 */
import { Command } from 'commander';
import { registerAgentCommands } from './commands/agent.js';
import { runMain } from './exit.js';

const program = new Command('xunjian-agent').showHelpAfterError().exitOverride();
registerAgentCommands(program);

await runMain('xunjian-agent', async () => {
  await program.parseAsync(process.argv);
  return process.exitCode as number | undefined;
});
