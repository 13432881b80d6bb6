/**
 * One command set and parser set per OS (Linux, AIX, Windows), run through an executor: an SSH
 * session (the poller, `inspect`) or this host's shell (the agent, `inspect --local`).
 */
export type { CommandResult, Executor } from './executor.js';
export { localExecutor, LocalCommandTimeout, type LocalExecutorOptions } from './local-executor.js';
export { COMMAND_SETS, detectOs, runCommandSet, type CommandSetParams, type DetectedOs, type Detection } from './command-set.js';
