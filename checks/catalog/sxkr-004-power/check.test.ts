import { describe, expect, it } from 'vitest';
import type { Measurement } from '../../../schemas/index.js';
import { evaluateReport } from '../../index.js';
import { measure, reportOf } from '../../testing.js';

const judge = (ms: Measurement[]) => evaluateReport(reportOf(ms, [], { kind: 'switch', hostname: 'sw1' }))[3]!;

describe('SXKR-004 power and fans', () => {
  it('all PSUs and fans normal; an empty slot is not a failure and says so', () => {
    const r = judge([
      measure('SXKR-004', 'PSU 1', 'psu.state', 'normal(1)', { status: 'ok' }),
      measure('SXKR-004', 'PSU 2', 'psu.state', 'notPresent(5)', { status: 'absent' }),
      measure('SXKR-004', 'Fan 1', 'fan.state', 'normal(1)', { status: 'ok' }),
    ]);
    expect(r.verdict).toBe('normal');
    expect(r.components[1]!.actual).toBe('notPresent(5) (not present)');
  });

  it('a failed fan is abnormal and named', () => {
    const r = judge([measure('SXKR-004', 'Switch 1 - FAN 1', 'fan.state', 'critical(3)', { status: 'fault' })]);
    expect(r).toMatchObject({ verdict: 'abnormal', reason: 'Switch 1 - FAN 1 is critical(3)' });
  });

  it('a UPS on battery is abnormal', () => {
    const r = judge([measure('SXKR-004', 'UPS output source', 'ups.state', 'battery(5)', { status: 'fault', detail: 'running on battery' })]);
    expect(r.reason).toBe('UPS output source is battery(5) (running on battery)');
  });

  it('a state without a normalised status cannot be judged', () => {
    expect(judge([measure('SXKR-004', 'PSU 1', 'psu.state', '7')]).verdict).toBe('unknown');
  });

  it('ignored components are not judged; ignoring every one leaves nothing measured', () => {
    const failed = measure('SXKR-004', 'PSU 2', 'psu.state', 'failed', { status: 'fault' });
    const ok = measure('SXKR-004', 'PSU 1', 'psu.state', 'ok', { status: 'ok' });
    const report = reportOf([ok, failed], [], { kind: 'switch', hostname: 'sw1' });
    expect(evaluateReport(report, { devices: { sw1: { 'SXKR-004': { ignore: ['PSU 2'] } } } })[3]!.verdict).toBe('normal');
    const none = evaluateReport(report, { kinds: { switch: { 'SXKR-004': { ignore: ['PSU 1', 'PSU 2'] } } } })[3]!;
    expect(none).toMatchObject({ verdict: 'unknown', reason: 'nothing was measured for this check' });
  });

  it('fan and UPS states count like PSUs: a warning is abnormal, not normal', () => {
    expect(judge([measure('SXKR-004', 'Fan 2', 'fan.state', '0 RPM', { status: 'warning', detail: 'not turning' })]).reason).toBe('Fan 2 is 0 RPM (not turning)');
  });
});
