/**
 * Pure text → Measurement parsers for Linux command output, shared by the local source (this
 * host) and the SSH source (remote hosts). Each takes the text and `{ command, at }` and returns
 * `{ measurements, gaps }`; none does I/O or reads the clock.
 */
export * from './types.js';
export { parseProcStat, readCpuCounters, busyPercent, type CpuCounters } from './linux/proc-stat.js';
export { parseMeminfo, readMeminfo } from './linux/meminfo.js';
export { parseDf, SKIPPED_FS_TYPES } from './linux/df.js';
export { parseMdstat } from './linux/mdstat.js';
export {
  parseIpLink,
  readIpLink,
  linkMeasurements,
  linkMeasurementStatus,
  isJudgedLink,
  VIRTUAL_INTERFACE,
  type LinkState,
} from './linux/ip-link.js';
export { parseSystemctlFailed, parseSystemctlIsActive } from './linux/systemctl.js';
export { parseJournalJson, SYSLOG_SEVERITIES, type JournalParseResult } from './linux/journal.js';
export { parseSyslog, classifySyslogMessage, type SyslogOptions } from './linux/syslog.js';
export { parseIpmiSdr, readSdr, ipmiStatus, temperatureKind, type SdrRow } from './ipmitool/sdr.js';
export { parseIpmiSensor, readSensor, type SensorRow } from './ipmitool/sensor.js';
export { parseIpmiSel, classifySelEvent } from './ipmitool/sel.js';
export { parseSmartctl, type SmartctlOptions } from './smartctl.js';
export { PARSERS, type ParserName } from './registry.js';
