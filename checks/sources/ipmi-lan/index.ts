/** Management controllers over IPMI on the LAN (`ipmitool -I lanplus`), with the shared ipmitool parsers. */
export { collectIpmiLan, IPMI_LAN_CHECKS, type IpmiLanTarget, type CollectIpmiLanOptions } from './collect.js';
export { parseIpmiFru } from './fru.js';
