/** Agentless server inspection over SSH: the session runner, OS detection and collectSsh. */
export * from './errors.js';
export { openSshSession, type SshConnectOptions, type SshSession, type CommandResult } from './session.js';
export { findKnownKeys, knownHostsName } from './known-hosts.js';
export { collectSsh, detectOs, allUnknownGaps, type SshTarget, type CollectSshOptions, type DetectedOs } from './collect.js';
