/** The SNMP poller: targets registered per site, polled on their interval, ingested like posted reports. */
export { pollerRoutes } from './routes.js';
export { Poller, type PollerOptions } from './poller.js';
export { SnmpTargetsRepository, type StoredTarget } from './repository.js';
export { CredentialBox, parseCredentialKey, KEY_HELP } from './crypto.js';
export { migration030 } from './migration.js';
export { bmcTargetRoutes } from './bmc-routes.js';
export { BmcPoller } from './bmc-poller.js';
export { BmcTargetsRepository } from './bmc-repository.js';
export { migration060, migration061 } from './bmc-migration.js';
