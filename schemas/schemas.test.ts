import { describe, expect, it } from 'vitest';
import {
  CheckResult,
  CpuThresholds,
  DeviceIdentity,
  Measurement,
  Report,
  ThresholdOverrides,
  ValidationError,
  parseDuration,
  parseWithDefaults,
  schemaIssues,
  validate,
} from './index.js';

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

describe('readable messages', () => {
  const messageOf = (schema: Parameters<typeof validate>[0], value: unknown) => {
    try {
      validate(schema, value, 'input');
    } catch (e) {
      return (e as ValidationError).message;
    }
    throw new Error('expected a validation error');
  };

  it('a union of literals lists its choices instead of "Expected union value"', () => {
    const r: any = good();
    r.identity.kind = 'toaster';
    expect(messageOf(Report, r)).toBe('invalid input: /identity/kind: expected one of: server, switch, router, firewall, ups, room, storage, tape, aircon');
  });

  it('a missing field is said once, not also as "expected string"', () => {
    const r: any = good();
    delete r.id;
    expect(schemaIssues(Report, r)).toEqual([{ path: '/id', message: 'required field is missing' }]);
  });

  it('a bad time shows the expected form; an unknown field is named as such', () => {
    const m = { ...good().measurements[0], at: '28/11/2026 10:00', colour: 'red' };
    expect(schemaIssues(Measurement, m)).toEqual([
      { path: '/colour', message: 'unknown field (not allowed here)' },
      { path: '/at', message: 'expected an ISO-8601 time with its zone, e.g. 2026-11-28T10:00:00Z' },
    ]);
  });

  it('a time is judged by itself, whatever passed before it (the last good time is remembered)', () => {
    const at = (t: string) => schemaIssues(Measurement, { ...good().measurements[0], at: t });
    expect(at('2026-11-28T10:00:00Z')).toEqual([]);
    expect(at('2026-11-28T10:00:00Z')).toEqual([]);
    // Shaped like a time, not one: the regex passes it, Date.parse does not.
    expect(at('2026-13-28T10:00:00Z').map((i) => i.path)).toEqual(['/at']);
    expect(at('2026-11-28T10:00:00')).toHaveLength(1);
    expect(at('2026-11-28T10:00:00Z')).toEqual([]);
  });

  it('never echoes the refused value (a body may carry a password)', () => {
    const issues = schemaIssues(DeviceIdentity, { hostname: 'db01', kind: 's3cret-passw0rd', addresses: [] });
    expect(JSON.stringify(issues)).not.toContain('s3cret');
  });

  const result = () => ({
    check: 'SXKR-001',
    verdict: 'normal',
    actual: 'CPU: avg 10.0 %, max 20.0 %',
    expected: 'CPU average ≤ 50 % and maximum ≤ 70 % over the window',
    threshold: { avgMax: { value: 50, from: 'default' } },
    commands: ['cat /proc/stat'],
    components: [{ component: 'CPU', verdict: 'normal', actual: 'avg 10.0 %' }],
    evaluatedAt: '2026-11-28T10:00:00.000Z',
  });

  it.each([
    ['a good result', CheckResult, result(), undefined],
    ['an unknown verdict', CheckResult, { ...result(), verdict: 'fine' }, '/verdict: expected one of: normal, abnormal, unknown'],
    ['a threshold level that does not exist', CheckResult, { ...result(), threshold: { avgMax: { value: 50, from: 'boss' } } }, '/threshold/avgMax/from: expected one of: default, site, kind, role, device, device-limit'],
    ['a component without verdict', CheckResult, { ...result(), components: [{ component: 'CPU', actual: 'x' }] }, '/components/0/verdict: required field is missing'],
    ['an empty hostname', DeviceIdentity, { hostname: '', kind: 'server', addresses: [] }, '/hostname: Expected string length greater or equal to 1'],
    ['an override for a check that does not exist', ThresholdOverrides, { roles: { db: { 'SXKR-009': {} } } }, '/roles/db/SXKR-009: unknown field (not allowed here)'],
    ['a temperature limit as text', ThresholdOverrides, { site: { 'SXKR-005': { inlet: 'warm' } } }, '/site/SXKR-005/inlet: Expected number'],
    ['a log severity below warning', ThresholdOverrides, { kinds: { switch: { 'SXKR-006': { minSeverity: 'info' } } } }, '/kinds/switch/SXKR-006/minSeverity: expected one of: emergency, alert, critical, error, warning'],
  ] as const)('%s', (_name, schema, value, expected) => {
    if (expected === undefined) expect(() => validate(schema, value, 'input')).not.toThrow();
    else expect(messageOf(schema, value)).toContain(expected);
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
