import type { Db } from '../storage/db.js';

interface Pending<A extends unknown[], R> {
  args: A;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit. Requests that arrive while the event loop is busy are stored in ONE outer
 * transaction, each in its own savepoint (a better-sqlite3 transaction function called inside
 * another becomes a SAVEPOINT), so one failing report rolls back alone. Every caller is
 * answered only after the outer COMMIT returned — a 2xx still means "committed" (and, with
 * synchronous=FULL, fsynced), but one fsync and one write of each hot page serves the batch.
 */
export class GroupCommit<A extends unknown[], R> {
  private queue: Pending<A, R>[] = [];
  private scheduled = false;
  private readonly outer: { immediate(batch: Pending<A, R>[]): (() => void)[] };

  constructor(
    db: Db,
    /** A db.transaction(...) function: it becomes a savepoint inside the batch. */
    private readonly unit: (...args: A) => R,
    private readonly maxBatch = 256,
  ) {
    this.outer = db.transaction((batch: Pending<A, R>[]) => {
      const settle: (() => void)[] = [];
      for (const item of batch) {
        try {
          const value = this.unit(...item.args);
          settle.push(() => item.resolve(value));
        } catch (error) {
          settle.push(() => item.reject(error));
        }
      }
      return settle;
    });
  }

  submit(...args: A): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ args, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // After the current I/O phase: every request already parsed joins this batch.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      let settle: (() => void)[];
      try {
        settle = this.outer.immediate(batch);
      } catch (error) {
        // The COMMIT itself failed: nothing of the batch is stored; every caller hears so.
        for (const item of batch) item.reject(error);
        continue;
      }
      for (const s of settle) s();
    }
  }
}
