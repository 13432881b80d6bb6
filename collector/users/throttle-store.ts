import type { Migration } from '../storage/migrations/index.js';
import type { Store } from '../storage/store.js';

/*
 * The log-in throttle's counters live in the database, not in the process: several collectors
 * answer one dashboard behind a load balancer (issue 13), and a guesser sent round-robin must meet
 * the same count on each; a restart must not forgive the guesses either.
 */
export const migration095: Migration = {
  version: 95,
  name: 'users: log-in throttle counters shared by every collector on the database',
  sql: `
CREATE TABLE throttle_counters (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  window_start INTEGER NOT NULL,
  window_ms INTEGER NOT NULL
);
CREATE INDEX throttle_counters_expiry ON throttle_counters (window_start);
`,
};

interface Counter {
  current: number;
  ttl: number;
}
type Callback = (error: Error | null, result?: Counter) => void;

/** Counters older than the longest window any caller uses are deleted now and then. */
const PRUNE_EVERY = 256;

/**
 * A `@fastify/rate-limit` store (its `incr`/`read`/`child` contract, fixed windows like its
 * LocalStore) on the collector's database: one upsert per failed log-in, one read per attempt.
 */
export class DatabaseThrottleStore {
  private writes = 0;

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  /** The class `@fastify/rate-limit` instantiates itself (`store: …`), bound to this database. */
  static for(store: Store, now?: () => number): new () => DatabaseThrottleStore {
    return class extends DatabaseThrottleStore {
      constructor() {
        super(store, now);
      }
    };
  }

  incr(key: string, cb: Callback, timeWindow: number): void {
    this.count(key, timeWindow).then((counter) => cb(null, counter), (error: Error) => cb(error));
  }

  read(key: string, cb: Callback, timeWindow: number): void {
    this.current(key, timeWindow).then((counter) => cb(null, counter), (error: Error) => cb(error));
  }

  /** One more failed attempt in the key's window (a window that has passed starts again at 1). */
  async count(key: string, timeWindow: number): Promise<Counter> {
    const at = this.now();
    const row = (await this.store.get<{ count: number; window_start: number }>(
      `INSERT INTO throttle_counters (key, count, window_start, window_ms) VALUES (?, 1, ?, ?)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN throttle_counters.window_start + excluded.window_ms <= excluded.window_start THEN 1 ELSE throttle_counters.count + 1 END,
         window_start = CASE WHEN throttle_counters.window_start + excluded.window_ms <= excluded.window_start THEN excluded.window_start ELSE throttle_counters.window_start END,
         window_ms = excluded.window_ms
       RETURNING count, window_start`,
      [key, at, timeWindow],
    ))!;
    if (++this.writes % PRUNE_EVERY === 0) await this.prune(at);
    return { current: row.count, ttl: row.window_start + timeWindow - at };
  }

  async current(key: string, timeWindow: number): Promise<Counter> {
    const at = this.now();
    const row = await this.store.get<{ count: number; window_start: number }>('SELECT count, window_start FROM throttle_counters WHERE key = ?', [key]);
    return !row || row.window_start + timeWindow <= at ? { current: 0, ttl: 0 } : { current: row.count, ttl: row.window_start + timeWindow - at };
  }

  /** Every route and limiter shares the one table; their keys differ. */
  child(): DatabaseThrottleStore {
    return this;
  }

  /** Deletes counters whose window has passed. */
  async prune(at = this.now()): Promise<number> {
    return (await this.store.run('DELETE FROM throttle_counters WHERE window_start + window_ms <= ?', [at])).changes;
  }
}
