/**
 * Makes a SQLite write-ahead log durable from libuv's thread pool instead of inside COMMIT.
 *
 * With `synchronous = FULL` a WAL commit fsyncs the log before COMMIT returns, and the event loop
 * waits for the disk: nothing else runs meanwhile. The group commit (ingest/batcher.ts) instead
 * commits its batch at `synchronous = NORMAL` — the frames are written to the log, not flushed —
 * and answers its callers only after `sync()` has flushed the log: a 2xx still means "on disk",
 * while the loop parses and stores the next batch during the flush.
 *
 * Why that is as safe as FULL for what was acknowledged: fsync on any descriptor of the log
 * flushes every page of it written before the call (Linux syncs the inode, not the descriptor),
 * so once `sync()` resolves, every frame COMMIT wrote before it was called is on disk. A power
 * cut before then loses only unacknowledged commits: SQLite's recovery keeps the log's valid
 * prefix (frames are checksummed and salted), as it does at NORMAL. Checkpoints flush the log
 * and the database themselves at NORMAL, in the order FULL uses.
 */
import { open } from 'node:fs/promises';

export class WalSync {
  /** The flush in progress, if any. */
  private running: Promise<void> | undefined;
  /** The flush that starts when the running one ends: it covers every commit made meanwhile. */
  private next: Promise<void> | undefined;

  constructor(private readonly walPath: string) {}

  /** Resolves once everything written to the log before this call is on disk. */
  sync(): Promise<void> {
    if (!this.running) return this.start();
    // The running flush may have begun before the caller's commit was written: wait for the next.
    this.next ??= this.running
      .catch(() => undefined)
      .then(() => {
        this.next = undefined;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<void> {
    const flush = this.flushOnce().finally(() => {
      if (this.running === flush) this.running = undefined;
    });
    this.running = flush;
    return flush;
  }

  /**
   * A descriptor of its own for each flush: SQLite keeps the log's inode while its connection is
   * open (it truncates, never replaces it), and one open per flush costs nothing beside the flush.
   */
  protected async flushOnce(): Promise<void> {
    const file = await open(this.walPath, 'r');
    try {
      await file.sync();
    } finally {
      await file.close();
    }
  }
}
