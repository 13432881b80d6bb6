import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Wakeups } from './wakeups.js';

describe('Wakeups (the daemon’s one timer)', () => {
  beforeEach(() => vi.useFakeTimers({ now: 0 }));
  afterEach(() => vi.useRealTimers());

  /** Every run as "name@ms", and how many times the timer fired. */
  function harness(ranks = ['collect', 'sample', 'heartbeat', 'status']) {
    const runs: string[] = [];
    const errors: string[] = [];
    const clock = new Wakeups(ranks, () => Date.now(), (name, e) => errors.push(`${name}: ${(e as Error).message}`));
    const wakeups = new Set<number>();
    const note = (name: string) => {
      runs.push(`${name}@${Date.now()}`);
      wakeups.add(Date.now());
    };
    return { clock, runs, errors, wakeups, note };
  }

  it('runs every job whose window has opened in the wakeup of the first one that must run', () => {
    const { clock, runs, wakeups, note } = harness();
    const sample = () =>
      clock.in('sample', 5000, 5000, () => {
        note('sample');
        sample();
      });
    sample();
    // Written "within 5 s" and a heartbeat "between 55 and 60 s": both ride on a sample's wakeup.
    vi.advanceTimersByTime(100);
    clock.in('status', 0, 5000, () => note('status'));
    clock.in('heartbeat', 55_000, 60_000, () => note('heartbeat'));
    vi.advanceTimersByTime(60_000);
    expect(runs).toContain('status@5000');
    expect(runs).toContain('heartbeat@60000'); // its window is [55.1 s, 60.1 s]
    expect(runs.filter((r) => r.startsWith('sample'))).toHaveLength(12);
    expect([...wakeups]).toEqual(Array.from({ length: 12 }, (_, i) => (i + 1) * 5000));
  });

  it('fires at the latest instant a job allows when nothing else is due', () => {
    const { clock, runs, note } = harness();
    clock.in('status', 0, 1000, () => note('status'));
    vi.advanceTimersByTime(999);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(runs).toEqual(['status@1000']);
  });

  it('runs jobs due together in rank order, and a job run earlier may move a later one', () => {
    const { clock, runs, note } = harness();
    clock.in('status', 0, 30_000, () => note('status'));
    clock.in('sample', 30_000, 30_000, () => note('sample'));
    // The collection reads the CPU sample itself and moves the sample's turn a whole interval on.
    clock.in('collect', 29_975, 30_000, () => {
      note('collect');
      clock.in('sample', 5000, 5000, () => note('sample'));
    });
    vi.advanceTimersByTime(30_000);
    expect(runs).toEqual(['collect@30000', 'status@30000']);
    vi.advanceTimersByTime(5000);
    expect(runs).toEqual(['collect@30000', 'status@30000', 'sample@35000']);
  });

  it('keeps going when a job throws: the others of that wakeup run, later ones too', () => {
    const { clock, runs, errors, note } = harness();
    clock.in('collect', 0, 10, () => {
      throw new Error('boom');
    });
    clock.in('sample', 0, 10, () => note('sample'));
    clock.in('status', 20, 20, () => note('status'));
    vi.advanceTimersByTime(20);
    expect(errors).toEqual(['collect: boom']);
    expect(runs).toEqual(['sample@10', 'status@20']);
  });

  it('moves a job when it is set again, and runs nothing after stop()', () => {
    const { clock, runs, note } = harness();
    clock.in('heartbeat', 1000, 1000, () => note('first'));
    clock.in('heartbeat', 3000, 3000, () => note('moved'));
    expect(clock.has('heartbeat')).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(runs).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(runs).toEqual(['moved@3000']);
    expect(clock.has('heartbeat')).toBe(false);
    clock.in('sample', 100, 100, () => note('sample'));
    clock.clear('sample');
    clock.in('status', 100, 100, () => note('status'));
    clock.stop();
    clock.in('collect', 0, 0, () => note('collect'));
    vi.advanceTimersByTime(10_000);
    expect(runs).toEqual(['moved@3000']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
