/**
 * Out-of-band hardware over DMTF Redfish (HPE iLO, Lenovo XCC, Dell iDRAC, OpenBMC/Power10 eBMC,
 * Huawei iBMC…): PSUs, fans, temperatures, processors, memory, drives and hardware logs from the
 * management controller, with vendor differences as YAML profiles and certificates pinned on
 * first use.
 */
export { collectRedfish, inspectRedfish, BMC_CHECKS, type RedfishTarget, type CollectRedfishOptions, type RedfishInspection } from './collect.js';
export { RedfishClient, type RedfishConnection, type RequestCounts, type PinCheck } from './client.js';
export { checkPin, pinFileBeside, readPins, type PinPolicy } from './pins.js';
export { builtinRedfishProfiles, detectRedfishProfile, parseRedfishProfile, REDFISH_PROFILE_DIR } from './profiles.js';
export * from './errors.js';
export * from './extract.js';
