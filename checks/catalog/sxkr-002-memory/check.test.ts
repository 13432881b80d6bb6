import { describe, expect, it } from 'vitest';
import { evaluateReport } from '../../index.js';
import { measure, reportOf } from '../../testing.js';

const judge = (...ms: Parameters<typeof measure>[]) =>
  evaluateReport(reportOf(ms.map((args) => measure(...args))), { devices: { big: { 'SXKR-002': { usedMax: 90 } } } })[1]!;

describe('SXKR-002 memory', () => {
  it.each([
    [80, 'normal'],
    [80.01, 'abnormal'],
    [0, 'normal'],
  ])('used %s %% → %s', (used, verdict) => {
    expect(judge(['SXKR-002', 'system', 'memory.used', used]).verdict).toBe(verdict);
  });

  it('reports swap beside memory without judging it', () => {
    const r = judge(['SXKR-002', 'system', 'memory.used', 40], ['SXKR-002', 'system', 'swap.used', 99]);
    expect(r).toMatchObject({ verdict: 'normal', actual: 'system: 40.0 % (swap 99.0 %)' });
  });

  it('swap alone is not a memory measurement', () => {
    expect(judge(['SXKR-002', 'system', 'swap.used', 10]).verdict).toBe('unknown');
  });

  it('judges every pool and names the full one', () => {
    const r = judge(['SXKR-002', 'Processor', 'memory.used', 11.44], ['SXKR-002', 'I/O', 'memory.used', 85]);
    expect(r.verdict).toBe('abnormal');
    expect(r.reason).toBe('I/O: memory used 85.0 % > 80 %');
  });

  it.each([[Number.NaN], [-1]])('a value no source can produce (%s) is unknown', (v) => {
    expect(judge(['SXKR-002', 'system', 'memory.used', v]).verdict).toBe('unknown');
  });

  it('judges an over-committed AIX LPAR (computational pages above real memory) as measured, with the reason', () => {
    const m = measure('SXKR-002', 'system', 'memory.used', 146.3);
    m.detail = 'computational 1534566 of 1048576 4 KB pages: over-committed, the excess lives in paging space';
    const r = evaluateReport(reportOf([m]), undefined)[1]!;
    expect(r.verdict).toBe('abnormal');
    expect(r.actual).toContain('146.3 % (above 100 %, judged as measured: computational 1534566 of 1048576');
    expect(r.reason).toBe('system: memory used 146.3 % > 80 %');
    const zh = evaluateReport(reportOf([m]), undefined, { lang: 'zh' })[1]!;
    expect(zh.actual).toContain('超过100%，按实测判定：computational');
  });

  it('judges a paging space of its own against the memory limit', () => {
    const r = judge(['SXKR-002', 'system', 'memory.used', 40], ['SXKR-002', 'paging space', 'paging.used', 91]);
    expect(r.verdict).toBe('abnormal');
    expect(r.reason).toBe('paging space: memory used 91.0 % > 80 %');
  });
});
