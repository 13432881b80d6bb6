import { describe, expect, it } from 'vitest';
import { compareOids } from './session.js';

describe('compareOids', () => {
  it('orders OIDs numerically, sub-identifier by sub-identifier, a prefix first', () => {
    const sorted = ['1.3.6.1.2.1.2.2.1.10.1', '1.3.6.1.2.1.2.2.1.2.10', '1.3.6.1.2.1.2.2.1.2.9', '1.3.6.1.2.1.2.2.1.2', '1.3.6.1.4.1.9.9.13.1.3.1.3.1004', '1.3.6.1.2.1.2.2.1.2.4294967295', '1.3']
      .sort(compareOids);
    expect(sorted).toEqual([
      '1.3',
      '1.3.6.1.2.1.2.2.1.2',
      '1.3.6.1.2.1.2.2.1.2.9',
      '1.3.6.1.2.1.2.2.1.2.10',
      '1.3.6.1.2.1.2.2.1.2.4294967295',
      '1.3.6.1.2.1.2.2.1.10.1',
      '1.3.6.1.4.1.9.9.13.1.3.1.3.1004',
    ]);
  });

  it('is zero only for the same OID, and antisymmetric', () => {
    expect(compareOids('1.3.6.1', '1.3.6.1')).toBe(0);
    for (const [a, b] of [['1.3.6', '1.3.6.0'], ['1.3.6.1.9', '1.3.6.1.10'], ['1.2', '1.10'], ['0.0', '0']]) {
      expect(Math.sign(compareOids(a!, b!))).toBe(-Math.sign(compareOids(b!, a!)));
      expect(compareOids(a!, b!)).not.toBe(0);
    }
    expect(compareOids('1.2', '1.10')).toBeLessThan(0);
  });
});
