import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { onBothEngines } from '../../test/helpers/engines.js';
import type { Store } from '../storage/store.js';
import { DatabaseThrottleStore } from './throttle-store.js';

const call = (f: (cb: (e: Error | null, r?: { current: number; ttl: number }) => void) => void) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) => f((e, r) => (e ? reject(e) : resolve(r!))));

onBothEngines('log-in throttle', (engine, open, skip) => {
  describe.skipIf(skip)(`DatabaseThrottleStore on ${engine}`, () => {
    let store: Store;
    let now = 1_000_000;
    beforeAll(async () => {
      store = await open();
    }, 120_000);
    afterAll(async () => store?.close());
    beforeEach(async () => {
      await store.run('DELETE FROM throttle_counters');
      now = 1_000_000;
    });

    it('counts within a fixed window, starts over after it, and a read never counts', async () => {
      const throttle = new DatabaseThrottleStore(store, () => now);
      expect(await call((cb) => throttle.read('k', cb, 60_000))).toEqual({ current: 0, ttl: 0 });
      expect(await call((cb) => throttle.incr('k', cb, 60_000))).toEqual({ current: 1, ttl: 60_000 });
      now += 10_000;
      expect(await call((cb) => throttle.incr('k', cb, 60_000))).toEqual({ current: 2, ttl: 50_000 });
      expect(await call((cb) => throttle.read('k', cb, 60_000))).toEqual({ current: 2, ttl: 50_000 });
      expect(await call((cb) => throttle.read('k', cb, 60_000))).toEqual({ current: 2, ttl: 50_000 });
      now += 50_000; // the window has passed
      expect(await call((cb) => throttle.read('k', cb, 60_000))).toEqual({ current: 0, ttl: 0 });
      expect(await call((cb) => throttle.incr('k', cb, 60_000))).toEqual({ current: 1, ttl: 60_000 });
    });

    it('is one count for two stores on the same database (two collectors), and prunes what expired', async () => {
      const a = new DatabaseThrottleStore(store, () => now);
      const b = new (DatabaseThrottleStore.for(store, () => now))();
      await call((cb) => a.incr('k', cb, 60_000));
      await call((cb) => b.incr('k', cb, 60_000));
      expect((await call((cb) => a.incr('k', cb, 60_000))).current).toBe(3);
      await call((cb) => a.incr('other', cb, 1_000));
      now += 5_000;
      expect(await a.prune()).toBe(1);
      expect((await call((cb) => b.read('k', cb, 60_000))).current).toBe(3);
    });

    it('counts every one of 40 attempts sent at once', async () => {
      const a = new DatabaseThrottleStore(store, () => now);
      const counts = await Promise.all(Array.from({ length: 40 }, () => call((cb) => a.incr('burst', cb, 60_000))));
      expect(counts.map((c) => c.current).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });
  });
});
