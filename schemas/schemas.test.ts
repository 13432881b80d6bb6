import { describe, expect, it } from 'vitest';
import { CpuThresholds, Report, ThresholdOverrides, ValidationError, parseDuration, parseWithDefaults, validate } from './index.js';

const good = () => ({
  id: 'rep-2026-11-28-0001',
  source: 'agent',
  window: { start: '2026-11-28T09:55:00Z', end: '2026-11-28T10:00:00Z' },
  identity: { hostname: 'db01', kind: 'server', addresses: ['10.0.0.5'] },
  measurements: [
    { check: 'SXKR-001', component: 'CPU', metric: 'cpu.avg', value: 12.5, unit: '%', command: 'cat /proc/stat', at: '2026-11-28T10:00:00Z' },
  ],
  gaps: [],
});

function issuesOf(value: unknown): string[] {
  try {
    validate(Report, value, 'report');
  } catch (e) {
    expect(e).toBeInstanceOf(ValidationError);
    return (e as ValidationError).issues.map((i) => i.path);
  }
  throw new Error('expected a validation error');
}

describe('Report schema', () => {
  it('accepts a good report', () => {
    expect(validate(Report, good(), 'report').identity.hostname).toBe('db01');
  });

  it.each([
    ['a missing id', (r: any) => delete r.id, '/id'],
    ['an id with spaces', (r: any) => (r.id = 'has spaces here'), '/id'],
    ['an unknown source', (r: any) => (r.source = 'carrier-pigeon'), '/source'],
    ['a bad window time', (r: any) => (r.window.end = 'yesterday'), '/window/end'],
    ['an impossible date', (r: any) => (r.window.start = '2026-13-45T99:00:00Z'), '/window/start'],
    ['an unknown device kind', (r: any) => (r.identity.kind = 'toaster'), '/identity/kind'],
    ['an unknown check id', (r: any) => (r.measurements[0].check = 'SXKR-009'), '/measurements/0/check'],
    ['a measurement without command', (r: any) => delete r.measurements[0].command, '/measurements/0/command'],
    ['an object as value', (r: any) => (r.measurements[0].value = { a: 1 }), '/measurements/0/value'],
    ['an unexpected field', (r: any) => (r.measurements[0].colour = 'red'), '/measurements/0/colour'],
    ['an empty component', (r: any) => (r.measurements[0].component = ''), '/measurements/0/component'],
    ['a bad status', (r: any) => (r.measurements[0].status = 'meh'), '/measurements/0/status'],
    ['a gap without reason', (r: any) => r.gaps.push({ check: 'SXKR-004' }), '/gaps/0/reason'],
  ])('%s is refused naming %s', (_name, spoil, path) => {
    const r = good();
    spoil(r);
    expect(issuesOf(r)).toContain(path);
  });

  it('the message names the field and the problem', () => {
    const r: any = good();
    r.identity.kind = 'toaster';
    expect(() => validate(Report, r, 'report')).toThrow(/^invalid report: \/identity\/kind: /);
  });

  it('refuses non-objects', () => {
    expect(issuesOf(null)).toContain('');
    expect(issuesOf('report')).toContain('');
  });
});

describe('Thresholds', () => {
  it('fills defaults written once in the schema', () => {
    expect(parseWithDefaults(CpuThresholds, {}, 'thresholds')).toEqual({ avgMax: 50, peakMax: 70 });
  });

  it('refuses an out-of-range override naming its path', () => {
    expect(() => validate(ThresholdOverrides, { devices: { db01: { 'SXKR-001': { avgMax: 150 } } } }, 'thresholds')).toThrow(
      /\/devices\/db01\/SXKR-001\/avgMax/,
    );
    expect(() => validate(ThresholdOverrides, { kinds: { toaster: {} } }, 'thresholds')).toThrow(/\/kinds\/toaster/);
  });
});

describe('durations', () => {
  it.each([
    ['10s', 10_000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['30', 30_000],
  ])('%s → %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it.each(['', 'ten seconds', '5 weeks', '0s', '-1s'])('"%s" is refused with a clear message', (text) => {
    expect(() => parseDuration(text, 'window')).toThrow(/invalid window/);
  });
});
