/** IBM Power servers through their HMC over SSH: managed-system state and open serviceable hardware events. */
export { collectHmc, eventMeasurements, hmcReport, HMC_CHECKS, type HmcTarget, type CollectHmcOptions } from './collect.js';
export { parseManagedSystems, judgeSystemState, findSystem, LSSYSCFG, type ManagedSystem } from './systems.js';
export { parseServiceableEvents, eventKind, concerns, eventInstant, LSSVCEVENTS, type ServiceableEvent } from './events.js';
export { splitFields } from './records.js';
