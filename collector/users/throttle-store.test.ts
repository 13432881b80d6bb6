import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../storage/db.js';
import { DatabaseThrottleStore } from './throttle-store.js';

let dir: string;
let db: Db;
let now = 1_000_000;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xj-throttle-'));
  db = openDatabase(join(dir, 'x.db'));
  now = 1_000_000;
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const call = (f: (cb: (e: Error | null, r?: { current: number; ttl: number }) => void) => void) =>
  new Promise<{ current: number; ttl: number }>((resolve, reject) => f((e, r) => (e ? reject(e) : resolve(r!))));

describe('DatabaseThrottleStore', () => {
  it('counts within a fixed window, starts over after it, and a read never counts', async () => {
    const store = new DatabaseThrottleStore(db, () => now);
    expect(await call((cb) => store.read('k', cb, 60_000))).toEqual({ current: 0, ttl: 0 });
    expect(await call((cb) => store.incr('k', cb, 60_000))).toEqual({ current: 1, ttl: 60_000 });
    now += 10_000;
    expect(await call((cb) => store.incr('k', cb, 60_000))).toEqual({ current: 2, ttl: 50_000 });
    expect(await call((cb) => store.read('k', cb, 60_000))).toEqual({ current: 2, ttl: 50_000 });
    expect(await call((cb) => store.read('k', cb, 60_000))).toEqual({ current: 2, ttl: 50_000 });
    now += 50_000; // the window has passed
    expect(await call((cb) => store.read('k', cb, 60_000))).toEqual({ current: 0, ttl: 0 });
    expect(await call((cb) => store.incr('k', cb, 60_000))).toEqual({ current: 1, ttl: 60_000 });
  });

  it('is one count for two stores on the same database (two collectors), and prunes what expired', async () => {
    const a = new DatabaseThrottleStore(db, () => now);
    const b = new (DatabaseThrottleStore.for(db, () => now))();
    await call((cb) => a.incr('k', cb, 60_000));
    await call((cb) => b.incr('k', cb, 60_000));
    expect((await call((cb) => a.incr('k', cb, 60_000))).current).toBe(3);
    await call((cb) => a.incr('other', cb, 1_000));
    now += 5_000;
    expect(a.prune()).toBe(1);
    expect((await call((cb) => b.read('k', cb, 60_000))).current).toBe(3);
  });
});
