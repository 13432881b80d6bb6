import { describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import type { Report } from '../../schemas/index.js';
import { coveredResults } from './coverage.js';

const at = '2026-11-20T10:00:00.000Z';
const report = (measurements: Report['measurements'], gaps: Report['gaps'] = []): Report => ({
  id: 'r1',
  source: 'agent',
  window: { start: at, end: at },
  identity: { hostname: 'db01', kind: 'server', addresses: [] },
  measurements,
  gaps,
});
const checks = (r: Report) => coveredResults(r, evaluateReport(r)).map((x) => [x.check, x.verdict]);

describe('coveredResults', () => {
  it('keeps only the checks a report measured or declared a gap for', () => {
    const logOnly = report(
      [{ check: 'SXKR-006', component: 'kernel', metric: 'log.entry', value: 'disk failure', severity: 'error', command: 'syslog udp from 10.0.0.1', at }],
      [{ check: 'SXKR-005', reason: 'no sensors', command: 'sensors' }],
    );
    expect(checks(logOnly)).toEqual([
      ['SXKR-005', 'unknown'],
      ['SXKR-006', 'abnormal'],
    ]);
  });

  it('keeps all six unknowns for a report that covers nothing', () => {
    expect(checks(report([]))).toEqual(['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006'].map((c) => [c, 'unknown']));
  });
});
