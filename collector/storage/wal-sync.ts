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
import { close, closeSync, fsync, open } from 'node:fs';

/** A store dropped without `close()` (a test closing only its handle) still lets its descriptor go. */
const unclosed = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Closed already.
  }
});

export class WalSync {
  /** The flush in progress, if any. */
  private running: Promise<void> | undefined;
  /** The flush that starts when the running one ends: it covers every commit made meanwhile. */
  private next: Promise<void> | undefined;
  /** The log's descriptor, once a flush has opened it. */
  private fd: Promise<number> | undefined;

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

  /** The flush in progress (and the one queued after it), if any: resolves when both have ended, failed or not. */
  inProgress(): Promise<void> | undefined {
    if (!this.running) return undefined;
    return (this.next ?? this.running).then(
      () => undefined,
      () => undefined,
    );
  }

  private start(): Promise<void> {
    const flush = this.flushOnce().finally(() => {
      if (this.running === flush) this.running = undefined;
    });
    this.running = flush;
    return flush;
  }

  /**
   * One descriptor of the log, opened at the first flush and kept until `close()`: SQLite keeps the
   * log's inode while its connection is open (it truncates, never replaces it). An open and a close
   * per flush cost the loop about 90 µs each time (bench: FileHandle open/sync/close against fsync on
   * a kept descriptor, 110-120 against 25-35 µs of the loop's CPU), several times a batch's worth.
   * A kept descriptor also hears of every write-back error since it was opened, where a fresh one
   * might not.
   */
  protected async flushOnce(): Promise<void> {
    this.fd ??= openLog(this.walPath).then((fd) => {
      unclosed.register(this, fd, this);
      return fd;
    });
    let fd: number;
    try {
      fd = await this.fd;
    } catch (error) {
      this.fd = undefined; // Not there yet, or not readable: the next flush tries again.
      throw error;
    }
    await new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
  }

  /** Lets the descriptor go; call once the connection is closed. */
  async close(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.next?.catch(() => undefined);
    const fd = this.fd;
    this.fd = undefined;
    const n = await fd?.catch(() => undefined);
    if (n === undefined) return;
    unclosed.unregister(this);
    await new Promise<void>((resolve) => close(n, () => resolve()));
  }
}

function openLog(path: string): Promise<number> {
  return new Promise((resolve, reject) => open(path, 'r', (error, fd) => (error ? reject(error) : resolve(fd))));
}
