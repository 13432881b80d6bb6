#!/usr/bin/env node
/** A minimal entry with only the agent commands, for the agent's tests and benchmark. */
import { Command } from 'commander';
import { registerAgentCommands } from '../../bin/commands/agent.js';

const program = new Command('xunjian').exitOverride();
registerAgentCommands(program);
await program.parseAsync(process.argv);
