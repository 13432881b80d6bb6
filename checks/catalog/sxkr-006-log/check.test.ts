import { describe, expect, it } from 'vitest';
import type { Measurement, ThresholdOverrides } from '../../../schemas/index.js';
import { evaluateReport } from '../../index.js';
import { measure, reportOf } from '../../testing.js';

const scanned = (n: number) => measure('SXKR-006', 'journald', 'log.scanned', n, { command: 'journalctl -p 3 -o json' });
const entry = (severity: Measurement['severity'], text: string) =>
  measure('SXKR-006', 'journald', 'log.entry', text, { severity, at: '2026-11-27T03:00:00.000Z', command: 'journalctl -p 3 -o json' });
const judge = (ms: Measurement[], o?: ThresholdOverrides) => evaluateReport(reportOf(ms), o)[5]!;

describe('SXKR-006 error log', () => {
  it('a read log with no entries is normal', () => {
    expect(judge([scanned(0)])).toMatchObject({ verdict: 'normal', actual: '0 new error entries (0 read)' });
  });

  it('lists every error entry and is abnormal', () => {
    const r = judge([scanned(2), entry('error', 'EXT4-fs error (device sda1)'), entry('critical', 'Out of memory: Killed process 123')]);
    expect(r.verdict).toBe('abnormal');
    expect(r.actual).toBe('2 new error entries (2 read)');
    expect(r.components.map((c) => c.actual)).toEqual([
      '2026-11-27T03:00:00.000Z error: EXT4-fs error (device sda1)',
      '2026-11-27T03:00:00.000Z critical: Out of memory: Killed process 123',
    ]);
  });

  it('entries below the severity threshold do not count', () => {
    expect(judge([scanned(1), entry('warning', 'link flap')]).verdict).toBe('normal');
    expect(judge([scanned(1), entry('warning', 'link flap')], { site: { 'SXKR-006': { minSeverity: 'warning' } } }).verdict).toBe('abnormal');
  });

  it('ignored messages are listed but not counted', () => {
    const r = judge([scanned(1), entry('error', 'ACPI Error: AE_NOT_FOUND')], { site: { 'SXKR-006': { ignore: ['acpi error'] } } });
    expect(r.verdict).toBe('normal');
    expect(r.components[0]!.actual).toMatch(/\(ignored\)$/);
  });

  it('a log that was not read is unknown', () => {
    expect(judge([]).verdict).toBe('unknown');
  });
});
