import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { evaluateReport } from '../../index.js';
import { reportOf } from '../../testing.js';
import {
  classifySelEvent,
  classifySyslogMessage,
  linkMeasurementStatus,
  parseMdstat,
  isJudgedLink,
  parseJournalJson,
  parseMeminfo,
  parseProcStat,
  parseSyslog,
  temperatureKind,
} from './index.js';

/** The judgement rules behind the golden cases, on structured input or on real fixture text. */
const ctx = { command: 'test', at: '2026-11-28T12:00:00.000Z' };
const fixture = (name: string) =>
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'testcases', name, 'input.txt'), 'utf8');

describe('proc-stat', () => {
  test('one snapshot, or two identical ones, is a gap, not 0 %', () => {
    const stat = fixture('proc-stat-host');
    const first = stat.slice(0, stat.indexOf('\ncpu ', 10));
    expect(parseProcStat(first, ctx).gaps[0]?.reason).toMatch(/two \/proc\/stat snapshots; found 1/);
    const same = parseProcStat(`${first}\n${first}`, ctx);
    expect(same.measurements).toEqual([]);
    expect(same.gaps[0]?.reason).toMatch(/no elapsed CPU time/);
  });
});

describe('meminfo', () => {
  test('without MemAvailable (kernels before 3.14) free + buffers + cache + reclaimable count as available', () => {
    const text = fixture('meminfo-host').split('\n').filter((l) => !l.startsWith('MemAvailable')).join('\n');
    const [used] = parseMeminfo(text, ctx).measurements;
    expect(used?.detail).toMatch(/MemFree \+ Buffers \+ Cached \+ SReclaimable/);
    expect(used?.value as number).toBeGreaterThanOrEqual(0);
  });
  test('no MemTotal is a gap', () => {
    expect(parseMeminfo('garbage', ctx).gaps[0]?.check).toBe('SXKR-002');
  });
});

describe('mdstat', () => {
  const modules = (fixtureName: string) => evaluateReport(reportOf(parseMdstat(fixture(fixtureName), ctx).measurements))[2]!;
  test.each([
    ['mdstat-raid6-degraded', 'md0 is active raid6 [6/4] [UUUU__] recovery=19.6%'],
    ['mdstat-raid10-missing', 'md127 is active raid10 [22/20] [UUUUUUUUUUUUUUUUU_U_UU]'],
    ['mdstat-raid1-failed-members', 'md3 is active raid1 [2/2] [U_]'],
    ['mdstat-inactive-spare', 'md127 is inactive'],
  ])('%s makes SXKR-003 abnormal, naming the array', (name, reason) => {
    const r = modules(name);
    expect(r.verdict).toBe('abnormal');
    expect(r.reason).toContain(reason);
  });
  test('a healthy array is normal; a routine check (scrub) is not a rebuild', () => {
    expect(modules('mdstat-raid0').verdict).toBe('normal');
    // real output, posted in https://github.com/netdata/netdata/issues/1478
    const scrub = 'md2 : active raid1 sde1[1] sdd1[0]\n      3906886464 blocks super 1.2 [2/2] [UU]\n      [====>................]  check = 22.9% (896960896/3906886464) finish=2628.5min speed=19084K/sec\n';
    expect(parseMdstat(scrub, ctx).measurements[0]).toMatchObject({ status: 'ok', value: 'active raid1 [2/2] [UU] check=22.9%' });
  });
});

describe('network links', () => {
  const link = (over: Partial<Parameters<typeof linkMeasurementStatus>[0]>) => ({
    name: 'eth1', adminUp: true, operstate: 'UP', lowerUp: true, loopback: false, ...over,
  });
  test('an administratively up port without link is a fault; admin-down and virtual ports are not judged', () => {
    expect(linkMeasurementStatus(link({ operstate: 'DOWN', lowerUp: false }))).toBe('fault');
    expect(linkMeasurementStatus(link({ operstate: 'LOWERLAYERDOWN', lowerUp: false }))).toBe('fault');
    expect(linkMeasurementStatus(link({ operstate: 'UNKNOWN', lowerUp: true }))).toBe('ok');
    expect(linkMeasurementStatus(link({ operstate: 'UNKNOWN', lowerUp: false }))).toBe('unknown');
    expect(isJudgedLink(link({ adminUp: false }))).toBe(false);
    expect(isJudgedLink(link({ name: 'veth1a2b' }))).toBe(false);
    expect(isJudgedLink(link({ name: 'docker0' }))).toBe(false);
    expect(isJudgedLink(link({ name: 'bond0' }))).toBe(true);
  });
});

describe('logs', () => {
  test('journal: maxPriority widens what is listed; scanned counts every entry', () => {
    const text = fixture('journal-json-namespace');
    const strict = parseJournalJson(text, ctx);
    const wide = parseJournalJson(text, ctx, { maxPriority: 4 });
    expect(strict.measurements.filter((m) => m.metric === 'log.entry')).toHaveLength(4);
    expect(wide.measurements.filter((m) => m.metric === 'log.entry')).toHaveLength(5);
    expect(wide.measurements[0]).toMatchObject({ metric: 'log.scanned', value: 8 });
    expect(strict.cursor).toMatch(/^s=[0-9a-f]+;i=/);
  });
  test('syslog: `since` drops older lines from the count and the list', () => {
    const r = parseSyslog(fixture('syslog-io-errors'), { ...ctx, at: '2019-06-20T00:00:00.000Z' }, {
      utcOffsetMinutes: 480,
      since: new Date('2019-06-14T00:04:36.000Z'),
    });
    expect(r.measurements[0]).toMatchObject({ metric: 'log.scanned', value: 2 });
    expect(r.measurements).toHaveLength(3);
  });
  test('syslog wording: hardware and kernel failures count, authentication noise does not', () => {
    expect(classifySyslogMessage('Kernel panic - not syncing: Fatal exception')).toBe('emergency');
    expect(classifySyslogMessage('mce: [Hardware Error]: Machine check events logged')).toBe('critical');
    expect(classifySyslogMessage('Out of memory: Killed process 1234 (java)')).toBe('critical');
    expect(classifySyslogMessage('Failed password for root from 10.0.0.1 port 22 ssh2')).toBeUndefined();
    expect(classifySyslogMessage('Started Session 3 of user root.')).toBeUndefined();
  });
  test('SEL wording: deasserted events are information, failures critical', () => {
    expect(classifySelEvent('Power Supply AC lost', 'Asserted')).toBe('critical');
    expect(classifySelEvent('Power Supply AC lost', 'Deasserted')).toBe('info');
    expect(classifySelEvent('Correctable ECC', 'Asserted')).toBe('warning');
    expect(classifySelEvent('Log area reset/cleared', 'Asserted')).toBe('info');
  });
});

describe('temperature kinds', () => {
  test('names first, IPMI entity ids second', () => {
    expect(temperatureKind('CPU1_DIMM Temp')).toBe('board');
    expect(temperatureKind('02-CPU 1', '3.1')).toBe('cpu');
    expect(temperatureKind('Exhaust Temp', '7.1')).toBe('outlet');
    expect(temperatureKind('Temp', '10.2')).toBe('psu');
    expect(temperatureKind('Temp', '55.1')).toBe('inlet');
    expect(temperatureKind('Temp')).toBe('other');
  });
});
