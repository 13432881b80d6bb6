import { describe, expect, it } from 'vitest';
import { compareVersions, recommend, recommendationText } from './recommendation.js';

const device = (firmware: string | null, model = 'DS8886', upgrade: { needed: boolean; reason: string | null; by: string; at: number } | null = null) => ({
  model,
  reported: { vendor: null, model: null, serial: null, version: firmware },
  firmware,
  upgrade,
});
const baselines = [{ model: 'ds 8886', firmware: '7.1.0', note: null, setBy: 'wang', setAt: 0 }];

describe('upgrade recommendation', () => {
  it.each([
    ['7.0.3', '7.1', -1],
    ['7.1', '7.1.0', 0],
    ['V200R019C10', 'V200R010C00', 1],
    ['R2.1', 'r2.1', 0],
    ['unknown', '7.1', null],
  ] as const)('%s against %s → %s', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
  });

  it('below the model baseline is an upgrade; at or above it is current; the model matches as people write it', () => {
    expect(recommend(device('7.0.3'), baselines)).toMatchObject({ status: 'upgrade', baseline: '7.1.0', baselineStatus: 'upgrade' });
    expect(recommend(device('7.2'), baselines).status).toBe('current');
    expect(recommend(device('7.0', 'other'), baselines)).toMatchObject({ status: 'none', baseline: null });
  });

  it('a baseline without a known firmware is unknown, never current', () => {
    expect(recommend(device(null), baselines).status).toBe('unknown');
  });

  it("a person's verdict decides over the baseline and is named with its reason", () => {
    const r = recommend(device('7.2', 'DS8886', { needed: true, reason: 'vendor advisory', by: 'li', at: 1 }), baselines);
    expect(r).toMatchObject({ status: 'upgrade', baselineStatus: 'current' });
    expect(recommendationText('en', r)).toBe('upgrade recommended — baseline 7.1.0 (now 7.2); verdict li: vendor advisory');
    expect(recommendationText('zh', recommend(device('7.0'), baselines))).toBe('建议升级 — 基线 7.1.0 (当前 7.0)');
  });
});
