import { describe, expect, it } from 'vitest';
import type { ThresholdOverrides } from '../../../schemas/index.js';
import { evaluateReport } from '../../index.js';
import { measure, reportOf } from '../../testing.js';

const cpu = (avg: unknown, max: unknown, component = 'CPU') =>
  [
    avg === undefined ? undefined : measure('SXKR-001', component, 'cpu.avg', avg as number, { unit: '%' }),
    max === undefined ? undefined : measure('SXKR-001', component, 'cpu.max', max as number, { unit: '%' }),
  ].filter((m) => m !== undefined);

const judge = (avg: unknown, max: unknown, overrides?: ThresholdOverrides, identity = {}) =>
  evaluateReport(reportOf(cpu(avg, max), [], identity), overrides)[0]!;

describe('SXKR-001 CPU', () => {
  it.each([
    ['exactly at both limits', 50, 70, 'normal'],
    ['average just over', 50.01, 60, 'abnormal'],
    ['maximum just over', 10, 70.1, 'abnormal'],
    ['idle', 0, 0, 'normal'],
    ['busy', 100, 100, 'abnormal'],
  ])('%s: avg %s max %s → %s', (_name, avg, max, verdict) => {
    expect(judge(avg, max).verdict).toBe(verdict);
  });

  it('shows both figures and names what is over', () => {
    const r = judge(55, 90);
    expect(r.actual).toBe('CPU: avg 55.0 %, max 90.0 %');
    expect(r.reason).toBe('CPU: average 55.0 % > 50 %, maximum 90.0 % > 70 %');
  });

  it.each([
    ['NaN', Number.NaN],
    ['negative', -3],
    ['a string', 'high'],
    ['null', null],
  ])('an unusable value (%s) is unknown, never normal', (_name, bad) => {
    const r = judge(bad, 20);
    expect(r.verdict).toBe('unknown');
    expect(r.reason).toMatch(/cpu\.avg of CPU is not a usable number/);
  });

  it('a reading above 100 % is judged as measured, not dropped', () => {
    const r = judge(104.5, 20);
    expect(r.verdict).toBe('abnormal');
    expect(r.actual).toContain('104.5 % (above 100 %, judged as measured');
  });

  it('an empty window (no samples) is unknown with the reason', () => {
    const r = evaluateReport(reportOf([], [{ check: 'SXKR-001', reason: 'no CPU samples in the window' }]))[0]!;
    expect(r).toMatchObject({ verdict: 'unknown', reason: 'no CPU samples in the window' });
  });

  it('a missing maximum is unknown unless the average is already over', () => {
    expect(judge(20, undefined)).toMatchObject({ verdict: 'unknown', reason: 'CPU: maximum CPU not measured' });
    expect(judge(60, undefined).verdict).toBe('abnormal');
  });

  it('judges each processor and reports the worst', () => {
    const r = evaluateReport(reportOf([...cpu(10, 20, 'core 0'), ...cpu(10, 95, 'core 1')]))[0]!;
    expect(r.verdict).toBe('abnormal');
    expect(r.components.map((c) => c.verdict)).toEqual(['normal', 'abnormal']);
    expect(r.actual).toBe('core 1: avg 10.0 %, max 95.0 %');
  });

  describe('overrides: the most specific level wins and is recorded', () => {
    const overrides: ThresholdOverrides = {
      site: { 'SXKR-001': { avgMax: 40 } },
      kinds: { server: { 'SXKR-001': { avgMax: 45, peakMax: 80 } } },
      roles: { db: { 'SXKR-001': { peakMax: 85 } } },
      devices: { db01: { 'SXKR-001': { avgMax: 60 } } },
    };
    it.each([
      ['site only', { site: overrides.site }, {}, { avgMax: { value: 40, from: 'site' }, peakMax: { value: 70, from: 'default' } }],
      ['kind over site', { site: overrides.site, kinds: overrides.kinds }, {}, { avgMax: { value: 45, from: 'kind' }, peakMax: { value: 80, from: 'kind' } }],
      ['role over kind', overrides, { hostname: 'db02', role: 'db' }, { avgMax: { value: 45, from: 'kind' }, peakMax: { value: 85, from: 'role' } }],
      ['device over all', overrides, { role: 'db' }, { avgMax: { value: 60, from: 'device' }, peakMax: { value: 85, from: 'role' } }],
      ['other kind ignores kind overrides', overrides, { kind: 'switch', hostname: 'sw1' }, { avgMax: { value: 40, from: 'site' }, peakMax: { value: 70, from: 'default' } }],
    ] as const)('%s', (_name, o, identity, threshold) => {
      const r = judge(44, 75, o as ThresholdOverrides, identity);
      expect(r.threshold).toEqual(threshold);
    });
    it('changes the verdict accordingly', () => {
      expect(judge(44, 75, overrides, { role: 'db' }).verdict).toBe('normal');
      expect(judge(44, 75, { site: overrides.site }).verdict).toBe('abnormal');
    });
  });
});
