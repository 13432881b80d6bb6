/**
 * The SNMP source: Cisco IOS/IOS-XE/NX-OS, H3C/HPE Comware 5/7, generic HOST-RESOURCES/ENTITY
 * devices and UPS-MIB units, described by the YAML profiles in ./profiles. One code path for the
 * collector's poller and the field CLI. Errors are typed (SnmpTimeoutError, SnmpAuthError, …).
 */
export { collectSnmp, collectSnmpMany, profileOf, MAX_SILENT_TABLES, PRODUCER, type CollectOptions, type PollOutcome } from './collect.js';
export { SnmpSession, type SnmpTarget, type SnmpValue } from './session.js';
export { SnmpError, SnmpTimeoutError, SnmpAuthError, SnmpResponseError, ProfileError } from './errors.js';
export { builtinProfiles, loadProfiles, parseProfile, detect, detectProfile, PROFILE_DIR, type Detection, type ResolvedProfile, type SystemInfo } from './profiles.js';
export { extract, type Extracted, type Inventory } from './extract.js';
