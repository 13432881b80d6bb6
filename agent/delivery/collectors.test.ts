import { describe, expect, it } from 'vitest';
import { CollectorList } from './collectors.js';

describe('CollectorList', () => {
  it('stays with one collector: every failure is a whole round (back off)', () => {
    const one = new CollectorList(['http://a']);
    expect(one.failedOver()).toBe(false);
    expect(one.current).toBe('http://a');
    expect(one.failedRounds).toBe(1);
  });

  it('moves to the next collector at once, backs off after a whole round, and stays with the one that answers', () => {
    const list = new CollectorList(['http://a', 'http://b', 'http://c']);
    expect(list.current).toBe('http://a');
    expect(list.failedOver()).toBe(true);
    expect(list.current).toBe('http://b');
    expect(list.failedOver()).toBe(true);
    expect(list.current).toBe('http://c');
    expect(list.failedOver()).toBe(false); // a, b and c all failed: back off
    expect(list.failedRounds).toBe(1);
    expect(list.current).toBe('http://a');
    expect(list.failedOver()).toBe(true);
    list.answered(); // b answered: it stays current, and the next failure starts a new round
    expect(list.current).toBe('http://b');
    expect(list.failedRounds).toBe(0);
    expect(list.failedOver()).toBe(true);
    expect(list.current).toBe('http://c');
  });

  it('refuses an empty list', () => {
    expect(() => new CollectorList([])).toThrow(/no collector/);
  });
});
