import { describe, expect, it } from 'vitest';
import { evaluateReport, sayIn } from '../../checks/index.js';
import { measure, reportOf } from '../../checks/testing.js';
import type { CheckId, Gap, InspectionRow, Measurement, Report, ThresholdOverrides } from '../../schemas/index.js';
import { realisticReport } from '../../test/helpers/collector.js';
import { catalogueText, expectedText, localiseRow, reasonText, symptomText } from './wording.js';

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
    expect(symptomText('zh', 'SXKR-004 设备电源及风扇检查: 电源 2 状态为 fault')).toBe('SXKR-004 设备电源及风扇检查: 电源 2 状态为 fault');
    // A source's English words in a Chinese reader's symptom: a known shape worded, else quoted whole.
    expect(symptomText('zh', 'SXKR-004 设备电源及风扇检查: ipmitool sdr elist: exit 1: Could not open device')).toBe('SXKR-004 设备电源及风扇检查: ipmitool sdr elist：退出码 1：“Could not open device”');
    expect(symptomText('zh', 'SXKR-004 设备电源及风扇检查: x')).toBe('SXKR-004 设备电源及风扇检查: 来源报告：“x”');
  });
});

/**
 * Every reason the catalogue writes, abnormal and unknown, for all six checks: evaluated in Chinese
 * it has no English words of the catalogue left, and it reads back as exactly the English evaluation.
 * Values, component names, metric names, device states and source reasons (gaps) are the same text in both.
 */
const ENGLISH_WORDS = /average|maximum|memory used|file system|\sused\b|limit|reports the sensor|entry at|not measured|nothing was measured|required service|not reported|usable number|cannot be judged|\bis\b|\bstate\b/;

const cpu = (component: string, avg?: unknown, max?: unknown) => [
  ...(avg === undefined ? [] : [measure('SXKR-001', component, 'cpu.avg', avg as number, { unit: '%' })]),
  ...(max === undefined ? [] : [measure('SXKR-001', component, 'cpu.max', max as number, { unit: '%' })]),
];
const state = (check: CheckId, component: string, value: string, status?: Measurement['status'], detail?: string) =>
  measure(check, component, check === 'SXKR-003' ? 'module.state' : 'psu.state', value, { ...(status ? { status } : {}), ...(detail ? { detail } : {}) });
const temp = (value: number, extra: Partial<Measurement> = {}) => measure('SXKR-005', 'inlet', 'temperature', value, { unit: '°C', ...extra });
const entry = (severity: Measurement['severity']) => measure('SXKR-006', 'journald', 'log.entry', 'EXT4-fs error (device sda1)', { severity, at: '2026-11-27T03:00:00.000Z' });

const REASON_CASES: [name: string, check: CheckId, measurements: Measurement[], zh: string, extra?: { gaps?: Gap[]; overrides?: ThresholdOverrides }][] = [
  ['CPU average and maximum over', 'SXKR-001', cpu('CPU', 55, 90), 'CPU：平均 55.0 % > 50 %，最大 90.0 % > 70 %'],
  ['two processors, one figure over each', 'SXKR-001', [...cpu('core 0', 60, 20), ...cpu('core 1', 10, 95)], 'core 0：平均 60.0 % > 50 %; core 1：最大 95.0 % > 70 %'],
  ['CPU maximum missing', 'SXKR-001', cpu('CPU', 20), 'CPU：未测得最大利用率'],
  ['CPU average missing', 'SXKR-001', cpu('CPU', undefined, 20), 'CPU：未测得平均利用率'],
  ['CPU value unusable', 'SXKR-001', cpu('CPU', Number.NaN, 20), 'cpu.avg（CPU）的数值 NaN 不可用'],
  ['memory over', 'SXKR-002', [measure('SXKR-002', 'I/O', 'memory.used', 85)], 'I/O：内存使用率 85.0 % > 80 %'],
  ['memory value unusable', 'SXKR-002', [measure('SXKR-002', 'system', 'memory.used', -1)], 'memory.used（system）的数值 -1 不可用'],
  ['memory over-committed', 'SXKR-002', [measure('SXKR-002', 'system', 'memory.used', 146.3, { detail: 'computational pages above real memory' })], 'system：内存使用率 146.3 % > 80 %'],
  ['file system over', 'SXKR-003', [measure('SXKR-003', '/var', 'fs.used', 91)], '文件系统 /var 已用 91.0 % > 85 %'],
  ['degraded array and a failed module', 'SXKR-003', [state('SXKR-003', 'md0', '[U_]', 'fault'), state('SXKR-003', 'module 2', 'failed', 'warning', 'PSU input lost')], 'md0 状态为 [U_]; module 2 状态为 failed (PSU input lost)'],
  ['module state without a status', 'SXKR-003', [state('SXKR-003', 'module 2', '7')], 'module 2：状态 7 无法判定'],
  ['required service not reported', 'SXKR-003', [state('SXKR-003', 'service sshd', 'active', 'ok')], '必需服务 oracle 未上报', { overrides: { site: { 'SXKR-003': { requiredServices: ['sshd', 'oracle'] } } } }],
  ['UPS on battery', 'SXKR-004', [state('SXKR-004', 'UPS output source', 'battery(5)', 'fault', 'running on battery')], 'UPS output source 状态为 battery(5) (running on battery)'],
  ['PSU state without a status', 'SXKR-004', [state('SXKR-004', 'PSU 1', '7')], 'PSU 1：状态 7 无法判定'],
  ['every PSU ignored', 'SXKR-004', [state('SXKR-004', 'PSU 1', 'ok', 'ok')], '未测得任何数据', { overrides: { site: { 'SXKR-004': { ignore: ['PSU 1'] } } } }],
  ['at the device limit', 'SXKR-005', [temp(56, { limits: { high: 56 } })], 'inlet 温度 56.0 °C ≥ 设备阈值 56.0 °C'],
  ['over the default limit', 'SXKR-005', [temp(41, { kind: 'inlet' })], 'inlet 温度 41.0 °C ≥ 默认阈值 40.0 °C'],
  ['under the low limit, sensor warning', 'SXKR-005', [temp(2, { limits: { high: 60, low: 5 }, status: 'warning' })], 'inlet 温度 2.0 °C ≤ 设备下限 5.0 °C，inlet：设备报告传感器告警'],
  ['over the limit, sensor fault', 'SXKR-005', [temp(-5, { limits: { high: -10 }, status: 'fault' })], 'inlet 温度 -5.0 °C ≥ 设备阈值 -10.0 °C，inlet：设备报告传感器故障'],
  ['implausible temperature', 'SXKR-005', [temp(500)], 'temperature（inlet）的数值 500 不可用'],
  ['error and critical entries', 'SXKR-006', [entry('error'), entry('critical')], 'journald：2026-11-27T03:00:00.000Z 出现错误级日志; journald：2026-11-27T03:00:00.000Z 出现严重级日志'],
  ['a warning entry at the warning threshold', 'SXKR-006', [entry('warning')], 'journald：2026-11-27T03:00:00.000Z 出现警告级日志', { overrides: { site: { 'SXKR-006': { minSeverity: 'warning' } } } }],
  ['a source gap keeps its own words', 'SXKR-006', [], 'journalctl: permission denied', { gaps: [{ check: 'SXKR-006', reason: 'journalctl: permission denied' }] }],
];

describe('the catalogue’s reasons in Chinese', () => {
  it.each(REASON_CASES)('%s', (_name, check, measurements, zhReason, extra = {}) => {
    const report = reportOf(measurements, extra.gaps ?? []);
    const inZh = evaluateReport(report, extra.overrides, { lang: 'zh' }).find((r) => r.check === check)!;
    const inEn = evaluateReport(report, extra.overrides, { lang: 'en' }).find((r) => r.check === check)!;
    expect(inZh.verdict).not.toBe('normal');
    expect(inZh.reason).toBe(zhReason);
    const reasons = [[inZh.reason, inEn.reason], ...inZh.components.map((c, i) => [c.reason, inEn.components[i]!.reason])] as [string | undefined, string | undefined][];
    for (const [zh, en] of reasons) {
      expect(zh ?? '').not.toMatch(ENGLISH_WORDS);
      expect(catalogueText('en', zh ?? ''), zh).toBe(en ?? '');
    }
    // What was said words the reason in either language, whatever language it was judged in.
    expect(inZh.why).toEqual(inEn.why);
    if (inZh.why?.key !== 'source') {
      expect(sayIn('zh', inZh.why!)).toBe(inZh.reason);
      expect(sayIn('en', inZh.why!)).toBe(inEn.reason);
    } else expect(sayIn('en', inZh.why)).toBe(inEn.reason);
    for (const [i, c] of inZh.components.entries()) {
      if (c.why && c.why.key !== 'source') expect([sayIn('zh', c.why), sayIn('en', c.why)]).toEqual([c.reason, inEn.components[i]!.reason]);
      expect(c.actual).not.toMatch(ENGLISH_WORDS);
      expect(catalogueText('en', c.actual), c.actual).toBe(inEn.components[i]!.actual);
    }
  });

  it('the English test words would be caught: the English reasons hold them', () => {
    for (const [, check, measurements, , extra = {}] of REASON_CASES.slice(0, -1)) {
      const inEn = evaluateReport(reportOf(measurements, extra.gaps ?? []), extra.overrides, { lang: 'en' }).find((r) => r.check === check)!;
      expect(inEn.reason).toMatch(ENGLISH_WORDS);
    }
  });
});

describe('reasons kept as what was said', () => {
  const report = reportOf([measure('SXKR-002', 'system', 'memory.used', 85)], [{ check: 'SXKR-004', reason: 'ipmitool sdr elist: command not found (exit 127)' }]);
  const inZh = evaluateReport(report, undefined, { lang: 'zh' });

  it('a row judged in Chinese reads in English from its key, and a source gap in Chinese from its shape', () => {
    const memory = inZh.find((r) => r.check === 'SXKR-002')!;
    expect(memory.why).toEqual({ key: 'of', args: ['system', { key: 'memoryOver', args: ['85.0 %', 80] }] });
    expect(reasonText('en', memory.reason!, memory.why)).toBe('system: memory used 85.0 % > 80 %');
    expect(reasonText('zh', memory.reason!, memory.why)).toBe('system：内存使用率 85.0 % > 80 %');
    const power = inZh.find((r) => r.check === 'SXKR-004')!;
    expect(power.reason).toBe('ipmitool sdr elist: command not found (exit 127)');
    expect(reasonText('zh', power.reason!, power.why)).toBe('ipmitool sdr elist：命令不存在（退出码 127）');
    expect(reasonText('en', power.reason!, power.why)).toBe('ipmitool sdr elist: command not found (exit 127)');
  });

  it('what cannot be worded (an unknown key, arguments of another shape) falls back to the stored text', () => {
    expect(reasonText('en', '内存使用率 85.0 % > 80 %', { key: 'fromTheFuture', args: [] })).toBe('memory used 85.0 % > 80 %');
    expect(reasonText('en', 'stored', { key: 'list', args: [7] })).toBe('stored');
    expect(reasonText('en', 'stored', { key: 'of', args: ['x', { key: 'nope', args: [] }] })).toBe('stored');
    expect(reasonText('en', 'stored', { key: 'toString', args: [] })).toBe('stored');
  });

  it('a row frozen before reasons were kept as keys still reads in both languages', () => {
    expect(reasonText('en', 'system：内存使用率 85.0 % > 80 %')).toBe('system: memory used 85.0 % > 80 %');
    expect(reasonText('zh', 'db01:22: connection refused')).toBe('db01:22：连接被拒绝');
    expect(reasonText('zh', 'system：内存使用率 85.0 % > 80 %; snmpwalk: exit 2: Timeout')).toBe('system：内存使用率 85.0 % > 80 %；snmpwalk：退出码 2：“Timeout”');
  });
});
