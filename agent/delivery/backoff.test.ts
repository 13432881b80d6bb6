import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, within half and all of it', () => {
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 1000, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000]);
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, 1000, 60_000, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
    expect(backoffDelay(5000, 1000, 60_000, () => 0)).toBe(30_000);
  });

  it('spreads agents apart (jitter)', () => {
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(4, 1000, 60_000)));
    expect(seen.size).toBeGreaterThan(10);
    for (const d of seen) expect(d).toBeGreaterThanOrEqual(8000);
  });
});
