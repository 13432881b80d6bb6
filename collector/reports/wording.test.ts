import { describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import type { InspectionRow, Report } from '../../schemas/index.js';
import { realisticReport } from '../../test/helpers/collector.js';
import { catalogueText, expectedText, localiseRow, symptomText } from './wording.js';

const CJK = /[\u4e00-\u9fff]/;

const report: Report = {
  id: 'r1',
  source: 'agent',
  window: { start: '2026-11-20T09:55:00.000Z', end: '2026-11-20T10:00:00.000Z' },
  identity: { hostname: 'db01', kind: 'server', addresses: [] },
  measurements: [
    { check: 'SXKR-001', component: 'CPU', metric: 'cpu.avg', value: 91, unit: '%', command: '/proc/stat', at: '2026-11-20T10:00:00.000Z' },
    { check: 'SXKR-001', component: 'CPU', metric: 'cpu.max', value: 99, unit: '%', command: '/proc/stat', at: '2026-11-20T10:00:00.000Z' },
    { check: 'SXKR-002', component: 'system', metric: 'memory.used', value: 40, unit: '%', command: '/proc/meminfo', at: '2026-11-20T10:00:00.000Z' },
    { check: 'SXKR-002', component: 'system', metric: 'swap.used', value: 2, unit: '%', command: '/proc/meminfo', at: '2026-11-20T10:00:00.000Z' },
  ],
  gaps: [],
};

// A site override of the CPU limits: the English text must carry the applied values, not the defaults.
const zh = evaluateReport(report, { site: { 'SXKR-001': { avgMax: 70, peakMax: 95 } } }, { lang: 'zh' });
const en = evaluateReport(report, { site: { 'SXKR-001': { avgMax: 70, peakMax: 95 } } }, { lang: 'en' });

describe('results stored in Chinese, shown in English', () => {
  it('re-derives the expected text of every check from the applied thresholds', () => {
    for (const r of zh) {
      expect(CJK.test(r.expected)).toBe(true);
      const english = expectedText('en', r.check, r.threshold);
      expect(english).toBe(en.find((x) => x.check === r.check)!.expected);
      expect(english).not.toMatch(CJK);
    }
    expect(expectedText('en', 'SXKR-001', zh[0]!.threshold)).toContain('70');
  });

  it('keeps the stored text when the check or its thresholds are unknown', () => {
    expect(expectedText('en', 'SXKR-999', {})).toBeUndefined();
    expect(expectedText('en', 'SXKR-001', undefined)).toBeUndefined();
  });

  it('an evaluation in Chinese reads as the English evaluation once the catalogue phrases are translated', () => {
    for (const r of zh) {
      const english = en.find((x) => x.check === r.check)!;
      expect(catalogueText('en', r.actual)).toBe(english.actual);
      if (r.reason) expect(catalogueText('en', r.reason)).toBe(english.reason);
    }
  });

  it('covers the wording of every check over a realistic report with a failed PSU and a log gap', () => {
    for (const options of [{ psuFault: true }, { logGap: true, cpuAvg: 97 }, {}]) {
      const r = realisticReport(options);
      const inZh = evaluateReport(r, undefined, { lang: 'zh' });
      const inEn = evaluateReport(r, undefined, { lang: 'en' });
      for (const x of inZh) {
        const y = inEn.find((e) => e.check === x.check)!;
        expect(catalogueText('en', x.actual), x.check).toBe(y.actual);
        expect(catalogueText('en', x.reason ?? ''), x.check).toBe(y.reason ?? '');
      }
    }
  });

  it('translates the log check and gap wording, and leaves Chinese pages alone', () => {
    expect(catalogueText('en', '3 条新错误日志（已读 1842 条）')).toBe('3 new error entries (1842 read)');
    expect(catalogueText('en', '1 条新错误日志')).toBe('1 new error entry');
    expect(catalogueText('en', '未测得任何数据')).toBe('nothing was measured for this check');
    expect(catalogueText('zh', '未测得')).toBe('未测得');
  });

  it('localises a whole inspection row and a ticket symptom', () => {
    const r = zh.find((x) => x.check === 'SXKR-001')!;
    const row: InspectionRow = {
      device: 'db01', deviceKind: 'server', check: r.check, verdict: r.verdict, actual: r.actual, expected: r.expected,
      commands: r.commands, reason: r.reason ?? null, evaluatedAt: r.evaluatedAt, reportId: 'r1', origin: 'report',
    };
    const out = localiseRow('en', row, r.threshold);
    expect(out.expected).not.toMatch(CJK);
    expect(out.actual).not.toMatch(CJK);
    expect(localiseRow('zh', row, r.threshold).expected).toBe(r.expected);
    expect(symptomText('en', 'SXKR-004 设备电源及风扇检查: PSU 2 is Power Supply AC lost')).toBe('SXKR-004 Power supplies and fans: PSU 2 is Power Supply AC lost');
    expect(symptomText('zh', 'SXKR-004 设备电源及风扇检查: x')).toBe('SXKR-004 设备电源及风扇检查: x');
  });
});
