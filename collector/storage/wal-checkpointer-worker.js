// @ts-check
/**
 * The thread behind wal-checkpointer.ts: its own connection to the collector's database, which
 * copies the write-ahead log back into the database file when asked. Plain JavaScript, so the
 * same file runs under tsx, vitest and the compiled dist/ alike.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

const { path, synchronous } = /** @type {{ path: string; synchronous: 'FULL' | 'NORMAL' }} */ (workerData);
const db = new Database(path, { fileMustExist: true });
// A checkpoint syncs the log before copying and the database after, at either level.
db.pragma(`synchronous = ${synchronous}`);
// This connection never checkpoints on its own: it writes nothing, and it checkpoints when told.
db.pragma('wal_autocheckpoint = 0');

parentPort?.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort?.close();
    return;
  }
  /** @type {{ busy: number; log: number; checkpointed: number } | undefined} */
  let row;
  try {
    // PASSIVE waits for no one: frames a reader still needs, or written meanwhile, wait for the next one.
    [row] = /** @type {{ busy: number; log: number; checkpointed: number }[]} */ (db.pragma('wal_checkpoint(PASSIVE)'));
  } catch (error) {
    const code = /** @type {{ code?: string }} */ (error).code ?? '';
    // Another connection holding the database a moment: the next commit asks again.
    if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) throw error;
  }
  // Anything else thrown above ends the thread; its 'error' hands the whole checkpoint back to COMMIT.
  parentPort?.postMessage({ log: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 });
});
