/** AIX judgement rules beyond the golden cases: identity, over-commit, errpt's forms and classes. */
import { describe, expect, it } from 'vitest';
import { errptSeverity, offsetMinutes, parseAixSystem, parseErrpt, parseSvmonG } from './aix.js';

const ctx = { command: 'test', at: '2026-11-28T12:00:00.000Z' };

describe('AIX parsers', () => {
  it('reads model, serial and firmware from lsattr -El sys0 (as OSHI quotes it) and from prtconf', () => {
    const lsattr = [
      'fwversion       IBM,RG080425_d79e22_r                Firmware version and revision levels                False',
      'modelname       IBM,9114-275                         Machine name                                        False',
      'os_uuid         789f930f-b15c-4639-b842-b42603862704 N/A                                                 True',
      'systemid        IBM,0110ACFDE                        Hardware system identifier                          False',
    ].join('\n');
    expect(parseAixSystem(lsattr)).toEqual({ model: '9114-275', serial: '10ACFDE', firmware: 'RG080425_d79e22_r' });
    // IBM support, "FLRT - Fix level determination": prtconf's lines.
    expect(parseAixSystem(' System Model: IBM,9117-570\n Machine Serial Number: 104CAEC\n Processor Type: PowerPC_POWER5')).toEqual({ model: '9117-570', serial: '104CAEC' });
  });

  it('an over-committed LPAR (computational pages above real memory) is reported above 100 % with the reason', () => {
    const text = '               size       inuse        free         pin     virtual\nmemory      1048576     1040000        8576      300000     1534566\npg space     524288      207618';
    const r = parseSvmonG(text, ctx);
    const used = r.measurements.find((m) => m.metric === 'memory.used')!;
    expect(used.value).toBe(146.3);
    expect(used.detail).toMatch(/computational pages exceed real memory/);
    expect(r.measurements.find((m) => m.metric === 'swap.used')).toMatchObject({ component: 'system', value: 39.6 });
  });

  it('the plain errpt form keeps only entries from the last inspection on, by their own timestamps', () => {
    const text = [
      'IDENTIFIER TIMESTAMP  T C RESOURCE_NAME  DESCRIPTION',
      'B6267342   1127142426 P H hdisk10        DISK OPERATION ERROR',
      '9D4CF6E7   1001104326 T O errdemon       ERROR LOGGING TURNED ON',
    ].join('\n');
    const r = parseErrpt(text, ctx, { utcOffsetMinutes: 480, since: new Date('2026-11-01T00:00:00Z') });
    expect(r.measurements.map((m) => [m.check, m.component, m.metric, m.value])).toEqual([
      ['SXKR-006', 'errpt', 'log.scanned', 1],
      ['SXKR-006', 'hdisk10', 'log.entry', 'DISK OPERATION ERROR'],
      // A permanent hardware error is also the resource's fault on the modules check.
      ['SXKR-003', 'hdisk10 (errpt)', 'module.state', 'permanent hardware error'],
    ]);
    expect(r.measurements[1]).toMatchObject({ severity: 'critical', at: '2026-11-27T06:24:00.000Z' });
  });

  it('output without errpt header is a gap, not an empty log', () => {
    expect(parseErrpt('0403-006 Execute permission denied.', ctx).gaps[0]?.reason).toMatch(/no IDENTIFIER TIMESTAMP header/);
    expect(parseErrpt('', ctx).measurements[0]).toMatchObject({ metric: 'log.scanned', value: 0 });
  });

  it.each([
    ['P', 'H', 'critical'],
    ['P', 'S', 'error'],
    ['T', 'H', 'warning'],
    ['U', 'S', 'warning'],
    ['I', 'S', 'info'],
    ['P', 'O', 'info'],
  ])('errpt type %s class %s → %s', (type, cls, severity) => {
    expect(errptSeverity(type, cls)).toBe(severity);
  });

  it('a UTC offset that is not one is undefined, never 0', () => {
    expect(offsetMinutes('+0530')).toBe(330);
    expect(offsetMinutes('-0700')).toBe(-420);
    expect(offsetMinutes('')).toBeUndefined();
    expect(offsetMinutes('CST')).toBeUndefined();
  });
});
