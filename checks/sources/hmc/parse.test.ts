import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateReport } from '../../index.js';
import type { Report } from '../../../schemas/index.js';
import { eventMeasurements } from './collect.js';
import { concerns, eventInstant, eventKind, parseServiceableEvents, type ServiceableEvent } from './events.js';
import { splitFields } from './records.js';
import { findSystem, judgeSystemState, parseManagedSystems, type ManagedSystem } from './systems.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'testcases', name), 'utf8');
const events = (name: string): ServiceableEvent[] => {
  const r = parseServiceableEvents(fixture(name));
  if ('unparsed' in r) throw new Error(r.unparsed);
  return r.events;
};
const systems = (): ManagedSystem[] => {
  const r = parseManagedSystems(fixture('lssyscfg-sys-constructed'));
  if ('unparsed' in r) throw new Error(r.unparsed);
  return r.systems;
};

describe('HMC output forms', () => {
  it('splits on commas outside quotes, and a quoted default-form field keeps its name', () => {
    expect(splitFields('a=1,"files=x.log/one,y.dat/two",b=')).toEqual(['a=1', 'files=x.log/one,y.dat/two', 'b=']);
  });

  it('reads the technote\'s two open events by attribute, with the server named by failing_mtms', () => {
    const e = events('lssvcevents-ibm-n1014321');
    expect(e.map((x) => [x.problem, x.refcode, x.status, x.firstTime])).toEqual([
      ['45', 'B3020001', 'Open', '07/12/2016 13:21:14'],
      ['44', 'B3010002', 'Open', '07/12/2016 12:13:21'],
    ]);
    expect(e[0]!.text).toBe('Communications to the SFP component on partition P8TiOS are unavailable.');
    expect(e[0]!.sysName).toBe('ivm1sdmc'); // the reporting console, not the server
    const server = findSystem(systems(), 'Server-8286-41A-SN0TU20305')!;
    expect(e.every((x) => concerns(x, server))).toBe(true);
    expect(concerns(e[0]!, findSystem(systems(), 'Server-9009-22A-SN87C480C')!)).toBe(false);
    expect(e.map(eventKind)).toEqual([undefined, undefined]); // communications: SXKR-006 only
  });

  it('"No results were found." is no open event; any other line is not an event record', () => {
    expect(parseServiceableEvents(fixture('lssvcevents-none'))).toEqual({ events: [] });
    expect(parseServiceableEvents('HSCL8012 The managed system cannot be found.')).toEqual({ unparsed: 'HSCL8012 The managed system cannot be found.' });
  });

  it('reads managed systems by the asked-for fields and judges their states', () => {
    const s = systems();
    expect(s[0]).toEqual({ name: 'Server-8286-41A-SN0TU20305', typeModel: '8286-41A', serial: 'TU20305', state: 'Operating' });
    expect(s.map((x) => judgeSystemState(x.state).status)).toEqual(['ok', 'warning', 'unknown', 'fault']);
    expect(judgeSystemState('No Connection').blind).toMatch(/no working connection/);
    expect(findSystem(s, '9117-MMA*10ACFDE')?.name).toBe('Server-9117-MMA-SN10ACFDE');
    expect(parseManagedSystems('Server-1,8286-41A,Operating')).toEqual({ unparsed: 'Server-1,8286-41A,Operating' });
    // A console message between the records is about another system, not a record.
    const mixed = parseManagedSystems(`HSCLxxxx (any console message)\n${fixture('lssyscfg-sys-constructed')}`);
    expect('systems' in mixed && mixed.systems.length).toBe(4);
  });

  it('maps power, fan and thermal events to SXKR-004/005 by their words, the rest to SXKR-006 only', () => {
    const e = events('lssvcevents-power-fan-thermal-constructed');
    expect(e[2]!.text).toBe('Ambient temperature out of range, system is operating with reduced performance');
    expect(e.map((x) => eventKind(x)?.metric)).toEqual(['psu.state', 'fan.state', 'thermal.state', undefined]);
    expect(eventKind({ ...e[3]!, refcode: '11001510', text: 'System power control network error' })?.check).toBe('SXKR-004');
  });

  it('reads HMC times at the console\'s offset', () => {
    expect(eventInstant('11/30/2026 09:15:02', '+0800')?.toISOString()).toBe('2026-11-30T01:15:02.000Z');
    expect(eventInstant('2026-11-30 09:15', '+0800')).toBeUndefined();
  });

  it('judges a server: open power, fan and thermal events abnormal; every open event listed with its age against the last inspection', () => {
    const server = findSystem(systems(), 'Server-9117-MMA-SN10ACFDE')!;
    const mine = events('lssvcevents-power-fan-thermal-constructed').filter((x) => concerns(x, server));
    const ms = eventMeasurements(mine, server, { offset: '+0800', since: new Date('2026-10-28T12:00:00Z'), at: '2026-11-30T12:00:00.000Z', command: 'lssvcevents (HMC)' });
    const report: Report = { id: 'hmc-test-0001', source: 'bmc', window: { start: '2026-11-30T12:00:00.000Z', end: '2026-11-30T12:00:00.000Z' }, identity: { hostname: 'p570', kind: 'server', addresses: [] }, measurements: ms, gaps: [] };
    const results = evaluateReport(report, undefined, { lang: 'en' });
    const r = (check: string) => results.find((x) => x.check === check)!;
    expect(r('SXKR-004').verdict).toBe('abnormal');
    expect(r('SXKR-004').components.map((c) => c.component)).toEqual(['power (HMC problem 101)', 'fan (HMC problem 102)']);
    expect(r('SXKR-005').verdict).toBe('abnormal');
    expect(r('SXKR-006').components).toHaveLength(3);
    const entries = ms.filter((m) => m.metric === 'log.entry');
    expect(entries.find((m) => m.component === 'HMC problem 102')?.detail).toMatch(/already open at the last inspection/);
    expect(entries.find((m) => m.component === 'HMC problem 101')?.detail).toMatch(/new since the last inspection/);

    const quiet = eventMeasurements([], server, { offset: '', since: new Date(), at: '2026-11-30T12:00:00.000Z', command: 'lssvcevents (HMC)' });
    const calm = evaluateReport({ ...report, measurements: quiet }, undefined, { lang: 'en' });
    for (const check of ['SXKR-004', 'SXKR-005', 'SXKR-006']) expect(calm.find((x) => x.check === check)!.verdict, check).toBe('normal');
  });
});
