/**
 * The local source: inspects the machine it runs on (`inspect --local`, the agent).
 * `collectLocal` gathers all six checks; `createCpuSampler` lets the agent sample CPU cheaply
 * between collections and pass the summary in.
 */
export { collectLocal, localIdentity, type CollectLocalOptions, type CollectLocalResult } from './collect.js';
export { createCpuSampler, type CpuSampler, type CpuSummary } from './cpu-sampler.js';
export { CommandError, run, runForOutput, which, commandLine } from './exec.js';
