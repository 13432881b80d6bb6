import type { Store } from '../storage/store.js';

interface Pending<A extends unknown[], R> {
  args: A;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Requests that arrive while the event loop is busy, or while the log flush of the
 * batch before runs, are stored in ONE outer transaction, each in its own nested transaction (a
 * savepoint), so one failing report rolls back alone. Every caller is answered only after the
 * outer COMMIT returned — a 2xx still means "committed" (and, at durability full, on disk), but
 * one commit and one flush serve the batch. That is for
 * SQLite, whose one connection writes one transaction at a time; on PostgreSQL `submit` runs each
 * unit in its own transaction at once (see there).
 */
export class GroupCommit<A extends unknown[], R> {
  private queue: Pending<A, R>[] = [];
  private scheduled = false;

  constructor(
    private readonly store: Store,
    /** One unit of work that runs its own `store.transaction` — a savepoint in the batch, so its failure undoes only itself. */
    private readonly unit: (...args: A) => Promise<R>,
    private readonly maxBatch = 256,
  ) {}

  submit(...args: A): Promise<R> {
    // PostgreSQL groups concurrent commits into one WAL flush by itself, and its connections
    // write side by side: each unit runs at once in its own transaction on a pooled connection.
    // Batching them would queue a batch's reports one after another on a single connection.
    // The unit opens its own transaction: wrapping it in another would only add a savepoint
    // (two more round trips per report).
    if (this.store.engine === 'postgres') return this.unit(...args);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current I/O phase: every request already parsed joins this batch.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    // A batch committed while the log's flush runs would wait for the next flush anyway. Waiting for
    // the running one before beginning lets what arrives meanwhile join the batch: one commit, and the
    // pages every report touches (indexes, the device's row) written once, for more reports.
    const flushing = this.store.logFlush?.();
    if (flushing && this.queue.length < this.maxBatch) await flushing;
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      let settle: (() => void)[];
      try {
        settle = await this.store.transaction(async () => {
          const outcomes: (() => void)[] = [];
          for (const item of batch) {
            try {
              const value = await this.unit(...item.args);
              outcomes.push(() => item.resolve(value));
            } catch (error) {
              outcomes.push(() => item.reject(error));
            }
          }
          return outcomes;
          // The log is flushed from the thread pool: the next batch is stored meanwhile (wal-sync.ts).
        }, { flushOffLoop: true });
      } catch (error) {
        // The COMMIT or the flush failed: the batch is not known to be on disk; every caller hears
        // so, and a report sent again is recognised by its id if it was stored after all.
        for (const item of batch) item.reject(error);
        continue;
      }
      for (const s of settle) s();
    }
  }
}
