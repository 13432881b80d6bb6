import { describe, expect, it } from 'vitest';
import type { CheckId, DeviceIdentity, ThresholdOverrides, ThresholdSet } from '../schemas/index.js';
import { evaluateReport } from './index.js';
import { reportOf } from './testing.js';

/**
 * Threshold overrides at every level for every check: site < device kind < device role < device.
 * The most specific level that sets a key wins, and the result records the value and the level.
 */
const KEYS: Record<CheckId, { key: string; values: [unknown, unknown, unknown, unknown]; default: unknown }> = {
  'SXKR-001': { key: 'avgMax', values: [40, 45, 55, 60], default: 50 },
  'SXKR-002': { key: 'usedMax', values: [70, 75, 85, 90], default: 80 },
  'SXKR-003': { key: 'fsUsedMax', values: [80, 82, 88, 90], default: 85 },
  'SXKR-004': { key: 'ignore', values: [['PSU 1'], ['PSU 2'], ['Fan 3'], ['Fan 4']], default: [] },
  'SXKR-005': { key: 'inlet', values: [35, 38, 42, 45], default: 40 },
  'SXKR-006': { key: 'minSeverity', values: ['emergency', 'alert', 'critical', 'warning'], default: 'error' },
};
const CHECKS = Object.keys(KEYS) as CheckId[];

const set = (check: CheckId, value: unknown): ThresholdSet => ({ [check]: { [KEYS[check].key]: value } }) as ThresholdSet;

/** Every level sets the key, each to its own value; levels can be left out to expose the next one down. */
function overrides(check: CheckId, levels: ('site' | 'kind' | 'role' | 'device')[]): ThresholdOverrides {
  const [site, kind, role, device] = KEYS[check].values;
  return {
    ...(levels.includes('site') ? { site: set(check, site) } : {}),
    ...(levels.includes('kind') ? { kinds: { server: set(check, kind) } } : {}),
    ...(levels.includes('role') ? { roles: { db: set(check, role) } } : {}),
    ...(levels.includes('device') ? { devices: { db01: set(check, device) } } : {}),
  };
}

const applied = (check: CheckId, o: ThresholdOverrides | undefined, identity: Partial<DeviceIdentity> = { role: 'db' }) => {
  const result = evaluateReport(reportOf([], [], identity), o).find((r) => r.check === check)!;
  return result.threshold[KEYS[check].key];
};

describe.each(CHECKS)('%s thresholds', (check) => {
  const [site, kind, role, device] = KEYS[check].values;

  it('without overrides: the schema default, recorded as default', () => {
    expect(applied(check, undefined)).toEqual({ value: KEYS[check].default, from: 'default' });
  });

  it.each([
    ['site', ['site'], site],
    ['kind over site', ['site', 'kind'], kind],
    ['role over kind', ['site', 'kind', 'role'], role],
    ['device over role', ['site', 'kind', 'role', 'device'], device],
    ['device over site alone', ['site', 'device'], device],
  ] as const)('%s', (_name, levels, value) => {
    expect(applied(check, overrides(check, [...levels]))).toEqual({ value, from: levels[levels.length - 1] });
  });

  it('levels that do not match the device are skipped', () => {
    const all = overrides(check, ['site', 'kind', 'role', 'device']);
    // another host with no role, of another kind: only the site level applies
    expect(applied(check, all, { hostname: 'sw1', kind: 'switch', role: undefined })).toEqual({ value: site, from: 'site' });
    // same kind, another role and host: the kind level
    expect(applied(check, all, { hostname: 'app1', role: 'web' })).toEqual({ value: kind, from: 'kind' });
  });
});

describe('threshold resolution', () => {
  it('a more specific level replaces a list, it does not merge it', () => {
    const o: ThresholdOverrides = {
      site: { 'SXKR-003': { requiredServices: ['sshd', 'crond'] } },
      devices: { db01: { 'SXKR-003': { requiredServices: ['oracle'] } } },
    };
    const r = evaluateReport(reportOf([]), o)[2]!;
    expect(r.threshold.requiredServices).toEqual({ value: ['oracle'], from: 'device' });
    expect(r.threshold.fsUsedMax).toEqual({ value: 85, from: 'default' });
  });

  it('keys a level does not set keep the value of the level below', () => {
    const o: ThresholdOverrides = { site: { 'SXKR-001': { avgMax: 40, peakMax: 60 } }, devices: { db01: { 'SXKR-001': { peakMax: 90 } } } };
    expect(evaluateReport(reportOf([]), o)[0]!.threshold).toEqual({ avgMax: { value: 40, from: 'site' }, peakMax: { value: 90, from: 'device' } });
  });

  it('the expected text is worded from the effective thresholds', () => {
    const r = evaluateReport(reportOf([]), overrides('SXKR-002', ['site', 'device']))[1]!;
    expect(r.expected).toBe('memory used ≤ 90 % (servers: excluding page cache and buffers)');
  });
});
