import { parseIpmiSdr } from './ipmitool/sdr.js';
import { parseIpmiSel } from './ipmitool/sel.js';
import { parseIpmiSensor } from './ipmitool/sensor.js';
import { parseDf } from './linux/df.js';
import { parseIpLink } from './linux/ip-link.js';
import { parseJournalJson } from './linux/journal.js';
import { parseMdstat } from './linux/mdstat.js';
import { parseMeminfo } from './linux/meminfo.js';
import { parseProcStat } from './linux/proc-stat.js';
import { parseSyslog } from './linux/syslog.js';
import { parseSystemctlFailed, parseSystemctlIsActive } from './linux/systemctl.js';
import { parseSmartctl } from './smartctl.js';
import type { ParseContext, ParseResult } from './types.js';

/** Options a test case (or a command set) may pass; each parser reads the ones it knows. */
export interface ParserOptions {
  units?: string[];
  since?: string;
  utcOffsetMinutes?: number;
  maxPriority?: number;
  component?: string;
}

/**
 * Every parser by name, with one calling convention: command sets (the SSH source) and the
 * golden test cases name the parser that reads a command's output.
 */
export const PARSERS = {
  'proc-stat': (t, c) => parseProcStat(t, c),
  meminfo: (t, c) => parseMeminfo(t, c),
  df: (t, c) => parseDf(t, c),
  mdstat: (t, c) => parseMdstat(t, c),
  'ip-link': (t, c) => parseIpLink(t, c),
  'systemctl-failed': (t, c) => parseSystemctlFailed(t, c),
  'systemctl-is-active': (t, c, o) => parseSystemctlIsActive(t, c, o.units ?? []),
  'journal-json': (t, c, o) => parseJournalJson(t, c, o.maxPriority !== undefined ? { maxPriority: o.maxPriority } : {}),
  syslog: (t, c, o) =>
    parseSyslog(t, c, {
      ...(o.since ? { since: new Date(o.since) } : {}),
      ...(o.utcOffsetMinutes !== undefined ? { utcOffsetMinutes: o.utcOffsetMinutes } : {}),
    }),
  'ipmitool-sdr': (t, c) => parseIpmiSdr(t, c),
  'ipmitool-sensor': (t, c) => parseIpmiSensor(t, c),
  'ipmitool-sel': (t, c, o) => parseIpmiSel(t, c, o.since ? { since: new Date(o.since) } : {}),
  smartctl: (t, c, o) => parseSmartctl(t, c, o.component ? { component: o.component } : {}),
} satisfies Record<string, (text: string, ctx: ParseContext, opts: ParserOptions) => ParseResult>;

export type ParserName = keyof typeof PARSERS;
