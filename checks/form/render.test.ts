import { describe, expect, it } from 'vitest';
import { evaluateReport } from '../index.js';
import { measure, reportOf } from '../testing.js';
import { renderForm } from './render.js';
import { displayWidth, wrap } from './width.js';

describe('the printed form', () => {
  const report = reportOf(
    [
      measure('SXKR-001', 'CPU', 'cpu.avg', 12, { command: 'cat /proc/stat' }),
      measure('SXKR-001', 'CPU', 'cpu.max', 30, { command: 'cat /proc/stat' }),
      measure('SXKR-004', 'PSU 1', 'psu.state', 'ok', { status: 'ok', command: 'ipmitool sdr type "Power Supply"' }),
      measure('SXKR-004', 'PSU 2', 'psu.state', 'failed', { status: 'fault', command: 'ipmitool sdr type "Power Supply"' }),
      measure('SXKR-005', 'inlet', 'temperature', 50, { kind: 'inlet', command: 'ipmitool sdr type Temperature' }),
    ],
    [],
    { model: 'System x3650 M5', serial: '06ABCDE' },
  );

  it('has the seven columns, one row per check, and the failing component beneath', () => {
    const text = renderForm(report, evaluateReport(report, undefined, { lang: 'zh' }), 'zh', 'Asia/Shanghai');
    for (const header of ['编号', '检查项目', '检查命令', '检查期待结果', '实际结果', '检查结果', '备注']) expect(text).toContain(header);
    for (const id of ['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']) expect(text).toContain(id);
    expect(text).toContain('└ PSU 2');
    expect(text).not.toContain('└ PSU 1');
    expect(text).not.toContain('└ inlet'); // a lone component would only repeat its row
    expect(text).toContain('不正常');
    expect(text).toContain('S/N 06ABCDE');
  });

  it("prints the window in the site's zone with its offset", () => {
    const results = evaluateReport(report, undefined, { lang: 'en' });
    const local = (iso: string, zone: string) => {
      const text = renderForm({ ...report, window: { start: iso, end: iso } }, results, 'en', zone);
      return /Window: (.*?) →/.exec(text)![1];
    };
    expect(local('2026-11-30T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-12-01 00:00 +08:00');
    expect(local('2026-11-30T16:00:00.000Z', 'Europe/London')).toBe('2026-11-30 16:00 +00:00');
  });

  it('aligns every line to the same display width, Chinese included', () => {
    const text = renderForm(report, evaluateReport(report, undefined, { lang: 'zh' }), 'zh', 'Asia/Shanghai');
    const tableLines = text.split('\n').slice(2);
    const widths = new Set(tableLines.map(displayWidth));
    expect(widths.size).toBe(1);
  });

  it('wraps long text without losing characters', () => {
    const text = 'journalctl -p 3 -o json --after-cursor s=abcdef0123456789';
    const lines = wrap(text, 12);
    expect(lines.every((l) => displayWidth(l) <= 12)).toBe(true);
    expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
    expect(wrap('设备CPU利用率情况检查', 6).every((l) => displayWidth(l) <= 6)).toBe(true);
  });
});
