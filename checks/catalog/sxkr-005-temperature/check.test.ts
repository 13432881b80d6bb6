import { describe, expect, it } from 'vitest';
import type { Measurement, ThresholdOverrides } from '../../../schemas/index.js';
import { evaluateReport } from '../../index.js';
import { measure, reportOf } from '../../testing.js';

const temp = (value: number, extra: Partial<Measurement> = {}) => measure('SXKR-005', 'inlet', 'temperature', value, { unit: '°C', ...extra });
const judge = (ms: Measurement[], o?: ThresholdOverrides) => evaluateReport(reportOf(ms), o)[4]!;

describe('SXKR-005 temperature', () => {
  it('uses the device limit when the device reports one', () => {
    const r = judge([temp(41, { kind: 'inlet', limits: { high: 56, source: '1.3.6.1.4.1.9.9.13.1.3.1.4.1006' } })]);
    expect(r).toMatchObject({ verdict: 'normal', actual: 'inlet: 41.0 °C (device limit 56.0 °C)' });
  });

  it('reaching the device limit is abnormal', () => {
    const r = judge([temp(56, { limits: { high: 56 } })]);
    expect(r).toMatchObject({ verdict: 'abnormal', reason: 'inlet 56.0 °C ≥ device limit 56.0 °C' });
  });

  it('falls back to the default of the sensor kind, overridable', () => {
    expect(judge([temp(39.9, { kind: 'inlet' })]).verdict).toBe('normal');
    expect(judge([temp(40, { kind: 'inlet' })]).verdict).toBe('abnormal');
    expect(judge([temp(80, { kind: 'cpu' })]).verdict).toBe('normal');
    expect(judge([temp(80, { kind: 'strange' })]).verdict).toBe('abnormal'); // 'other' = 70
    expect(judge([temp(45, { kind: 'inlet' })], { site: { 'SXKR-005': { inlet: 50 } } }).verdict).toBe('normal');
  });

  it('a controller that reports only its thermal state is judged on it', () => {
    const state = (status: Measurement['status'], value: string) => measure('SXKR-005', 'server thermal', 'thermal.state', value, { status });
    expect(judge([state('ok', 'no open thermal event')])).toMatchObject({ verdict: 'normal' });
    const r = judge([state('fault', 'problem 7 (open since 2026-11-30): ambient temperature out of range')]);
    expect(r.verdict).toBe('abnormal');
    expect(r.reason).toContain('ambient temperature out of range');
  });

  it('a device low limit and a device-reported sensor fault are abnormal', () => {
    expect(judge([temp(2, { limits: { high: 60, low: 5 } })]).verdict).toBe('abnormal');
    expect(judge([temp(30, { status: 'warning' })]).verdict).toBe('abnormal');
  });

  it.each([[Number.NaN], [-100], [500]])('an implausible reading %s is unknown', (v) => {
    expect(judge([temp(v)]).verdict).toBe('unknown');
  });
});
