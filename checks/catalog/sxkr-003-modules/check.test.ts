import { describe, expect, it } from 'vitest';
import type { Measurement, ThresholdOverrides } from '../../../schemas/index.js';
import { evaluateReport } from '../../index.js';
import { measure, reportOf } from '../../testing.js';

const state = (component: string, status: Measurement['status'], value = status as string) =>
  measure('SXKR-003', component, 'module.state', value, { status });
const fs = (mount: string, used: number) => measure('SXKR-003', mount, 'fs.used', used, { unit: '%' });
const judge = (ms: Measurement[], overrides?: ThresholdOverrides) => evaluateReport(reportOf(ms), overrides)[2]!;

describe('SXKR-003 modules', () => {
  it('every module, disk, array, interface and file system normal → normal', () => {
    const r = judge([state('disk sda', 'ok', 'PASSED'), state('md0', 'ok', '[UU]'), state('eth0', 'ok', 'up'), fs('/', 85)]);
    expect(r.verdict).toBe('normal');
  });

  it('a file system over 85 % is abnormal; the limit can be raised per device', () => {
    expect(judge([fs('/var', 85.5)])).toMatchObject({ verdict: 'abnormal', reason: 'file system /var 85.5 % used > 85 %' });
    expect(judge([fs('/var', 85.5)], { devices: { db01: { 'SXKR-003': { fsUsedMax: 90 } } } }).verdict).toBe('normal');
  });

  it.each([
    ['fault', 'abnormal'],
    ['warning', 'abnormal'],
    ['absent', 'normal'],
    ['unknown', 'unknown'],
  ] as const)('a module in state %s → %s', (status, verdict) => {
    expect(judge([state('module 2', status)]).verdict).toBe(verdict);
  });

  it('a degraded array names the array and its state', () => {
    const r = judge([state('md0', 'fault', '[U_]')]);
    expect(r.reason).toBe('md0 is [U_]');
  });

  it('a required service that was not reported is unknown; a failed one abnormal', () => {
    const o: ThresholdOverrides = { site: { 'SXKR-003': { requiredServices: ['sshd', 'oracle'] } } };
    const r = judge([state('service sshd', 'ok', 'active')], o);
    expect(r).toMatchObject({ verdict: 'unknown', reason: 'required service oracle was not reported by the source' });
    expect(judge([state('service sshd', 'ok', 'active'), state('service oracle', 'fault', 'failed')], o).verdict).toBe('abnormal');
  });

  it('ignored components are not judged', () => {
    const r = judge([state('Gi1/0/3', 'fault', 'down'), fs('/', 10)], { devices: { db01: { 'SXKR-003': { ignore: ['Gi1/0/3'] } } } });
    expect(r.verdict).toBe('normal');
    expect(r.components.map((c) => c.component)).toEqual(['/']);
  });
});
