/** The agent's public surface: configuration, the daemon, status, service install. */
export { loadAgentConfig, enroll, readToken, DEFAULT_CONFIG_PATH, AGENT_ENV_VARS, type ResolvedAgentConfig } from './config.js';
export { startAgent, evictionNotice, AGENT_VERSION, PRODUCER, type AgentHandle } from './daemon.js';
export { readStatus, AgentState, type AgentStatus } from './state.js';
export { install, uninstall, renderUnit, DEFAULT_UNIT_PATH } from './install.js';
export { createLog, type AgentLog } from './log.js';
export { Spool, spoolDepth } from './spool/index.js';
export { Sender, backoffDelay, postJson } from './delivery/index.js';
export { statusView, formatStatus, type StatusView } from './status.js';
