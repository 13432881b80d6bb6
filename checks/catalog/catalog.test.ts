import { describe, expect, it } from 'vitest';
import { CHECK_IDS, CheckResult, validate } from '../../schemas/index.js';
import { CHECKS, evaluateReport, exitCodeFor, overallVerdict } from '../index.js';
import { measure, reportOf } from '../testing.js';

describe('the catalogue', () => {
  it('declares each SXKR check exactly once, in the form order, with both names', () => {
    expect(CHECKS.map((c) => c.id)).toEqual([...CHECK_IDS]);
    for (const c of CHECKS) {
      expect(c.name.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(c.name.en.length).toBeGreaterThan(3);
    }
  });

  it('gives six unknown results naming the reason when nothing was measured', () => {
    const results = evaluateReport(reportOf([]));
    expect(results).toHaveLength(6);
    for (const r of results) {
      expect(r.verdict).toBe('unknown');
      expect(r.reason).toBe('nothing was measured for this check');
      validate(CheckResult, r, 'result');
    }
    expect(exitCodeFor(results.map((r) => r.verdict))).toBe(3);
  });

  it.each(CHECK_IDS)('%s: measurements of metrics it does not judge are still "nothing measured" → unknown', (id) => {
    const r = evaluateReport(reportOf([measure(id, 'box', 'vendor.private', 1)])).find((x) => x.check === id)!;
    expect(r).toMatchObject({ verdict: 'unknown', reason: 'nothing was measured for this check' });
    expect(r.commands).toEqual(['test vendor.private']);
  });

  it('carries a gap reason into the unknown result and its component', () => {
    const results = evaluateReport(reportOf([], [{ check: 'SXKR-004', reason: 'no IPMI device', command: 'ls /dev/ipmi0' }]));
    const power = results[3]!;
    expect(power.verdict).toBe('unknown');
    expect(power.reason).toBe('no IPMI device');
    expect(power.commands).toEqual(['ls /dev/ipmi0']);
  });

  it('lets an abnormal component outweigh unknown ones, and records every command', () => {
    const r = evaluateReport(
      reportOf(
        [measure('SXKR-004', 'PSU 1', 'psu.state', 'failed', { status: 'fault', command: 'ipmitool sdr type "Power Supply"' })],
        [{ check: 'SXKR-004', component: 'Fan 1', reason: 'sensor did not answer' }],
      ),
    )[3]!;
    expect(r.verdict).toBe('abnormal');
    expect(r.reason).toBe('PSU 1 is failed');
    expect(r.components.map((c) => c.verdict)).toEqual(['abnormal', 'unknown']);
    expect(overallVerdict([r])).toBe('abnormal');
    expect(exitCodeFor(['normal', 'abnormal', 'unknown'])).toBe(1);
    expect(exitCodeFor(['normal', 'normal'])).toBe(0);
  });

  it('words the expected result in the requested language with the effective thresholds', () => {
    const report = reportOf([measure('SXKR-001', 'CPU', 'cpu.avg', 10), measure('SXKR-001', 'CPU', 'cpu.max', 20)]);
    const zh = evaluateReport(report, { site: { 'SXKR-001': { avgMax: 40 } } }, { lang: 'zh' })[0]!;
    expect(zh.expected).toBe('CPU平均利用率 ≤ 40%，最大利用率 ≤ 70%');
    expect(zh.actual).toBe('CPU: 平均 10.0 %, 最大 20.0 %');
    const en = evaluateReport(report)[0]!;
    expect(en.expected).toBe('CPU average ≤ 50 % and maximum ≤ 70 % over the window');
  });
});
