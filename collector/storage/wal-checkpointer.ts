/**
 * Checkpoints a SQLite write-ahead log from a thread of its own instead of inside COMMIT.
 *
 * SQLite copies the log back into the database file (a checkpoint) in the COMMIT that takes the
 * log past `wal_autocheckpoint` pages: on the collector's one connection, that is the event loop,
 * copying a thousand pages and syncing two files while every request waits. Measured under
 * ingest, it was about half of COMMIT's time (issue 16).
 *
 * Here a worker thread with its own connection checkpoints (PASSIVE: it waits for no one) at most
 * every `everyMs` while commits arrive. The loop's own autocheckpoint stays, at a higher mark
 * (`LOOP_AUTOCHECKPOINT_PAGES`), because only the writer can restart the log: a checkpoint from
 * another connection copies the frames, but the log is rewound from its start only by a write
 * that finds every frame copied, which a busy writer rarely does. The loop's checkpoint then
 * copies just the frames written since the thread's last one, and the log starts over; if the
 * thread has died, the loop checkpoints everything itself, as it did before.
 */
import { Worker } from 'node:worker_threads';

/** The loop's own mark, in pages (SQLite's default is 1,000): four times the log the thread keeps copied. */
export const LOOP_AUTOCHECKPOINT_PAGES = 4000;

export interface CheckpointerOptions {
  /** The least time between two checkpoints of the thread (default 100 ms). */
  everyMs?: number;
  /** Told when the thread fails (its checkpoint threw, or it could not open the database) or ends unasked: the loop's autocheckpoint carries on alone. */
  onError?: (error: Error) => void;
  /** Told after each checkpoint of the thread: pages in the log, pages copied (for tests and metrics). */
  onCheckpoint?: (result: { log: number; checkpointed: number }) => void;
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly everyMs: number;
  private lastAsked = -Infinity;
  private inFlight = false;
  private ended = false;
  private readonly exited: Promise<void>;

  constructor(dbPath: string, synchronous: 'FULL' | 'NORMAL', options: CheckpointerOptions = {}) {
    this.everyMs = options.everyMs ?? 100;
    this.worker = new Worker(new URL('./wal-checkpointer-worker.js', import.meta.url), { workerData: { path: dbPath, synchronous } });
    this.worker.on('message', (result: { log: number; checkpointed: number }) => {
      this.inFlight = false;
      options.onCheckpoint?.(result);
    });
    this.worker.on('error', (error) => {
      this.ended = true;
      options.onError?.(error);
    });
    this.exited = new Promise((resolve) => {
      this.worker.once('exit', () => {
        if (!this.ended) options.onError?.(new Error('the checkpoint thread ended'));
        this.ended = true;
        resolve();
      });
    });
    // The thread must not keep alive a process that has nothing else to do. After the listeners:
    // adding a 'message' listener refs the worker again.
    this.worker.unref();
  }

  /** After a commit: a checkpoint, unless one is running or the last was asked for under `everyMs` ago. */
  committed(now = performance.now()): void {
    if (this.ended || this.inFlight || now - this.lastAsked < this.everyMs) return;
    this.lastAsked = now;
    this.inFlight = true;
    this.worker.postMessage('checkpoint');
  }

  /** Closes the thread's connection and waits for the thread to end. */
  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      // Waited for: unref'd, a process with nothing else to do would exit before the thread's end.
      this.worker.ref();
      this.worker.postMessage('close');
    }
    await this.exited;
  }
}
