/**
 * The Store over one better-sqlite3 connection. Queries run synchronously and resolve at once;
 * a transaction holds the connection (an AsyncLock) until it commits, so a query from another
 * request never lands inside it, and queries made within it (found through AsyncLocalStorage)
 * run straight through. Statements are prepared once and kept.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { AsyncLock } from './async-lock.js';
import { SQLITE_DIALECT } from './sql-dialect.js';
import type { Params, RunResult, Store, TransactionOptions } from './store.js';
import { WalSync } from './wal-sync.js';
import { LOOP_AUTOCHECKPOINT_PAGES, WalCheckpointer, type CheckpointerOptions } from './wal-checkpointer.js';

/** `PRAGMA synchronous` as a number: 2 is FULL. */
const SYNCHRONOUS_FULL = 2;
/** SQLite's own default mark for the checkpoint in COMMIT, in pages. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

interface TxFrame {
  depth: number;
}

/** better-sqlite3 takes positional values spread, named ones as one object. */
function args(params: Params): unknown[] {
  return Array.isArray(params) ? (params as unknown[]) : [params];
}

const STORES = new WeakMap<Database.Database, SqliteStore>();

/** The one store of a connection: every user of the handle shares its lock. */
export function sqliteStore(db: Database.Database): SqliteStore {
  let store = STORES.get(db);
  if (!store) {
    store = new SqliteStore(db);
    STORES.set(db, store);
  }
  return store;
}

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly dialect = SQLITE_DIALECT;
  private readonly lock = new AsyncLock();
  private readonly context = new AsyncLocalStorage<TxFrame>();
  private readonly statements = new Map<string, Database.Statement>();
  private savepoints = 0;
  /** Set when commits are fsynced (WAL at synchronous = FULL): those may flush off the loop instead. */
  private readonly walSync: WalSync | undefined;
  private checkpointer: WalCheckpointer | undefined;

  constructor(readonly db: Database.Database) {
    const wal = !db.memory && db.pragma('journal_mode', { simple: true }) === 'wal';
    // Resolved now, as SQLite resolved it at open: a relative path must not follow a later chdir.
    if (wal && db.pragma('synchronous', { simple: true }) === SYNCHRONOUS_FULL) this.walSync = new WalSync(`${resolve(db.name)}-wal`);
  }

  /**
   * Checkpoints the log from a thread of its own (wal-checkpointer.ts), for a long-running
   * server: COMMIT then copies only what the thread has not. A no-op for a database without a log
   * file (in memory, or not in WAL mode) and when already on.
   */
  checkpointInBackground(options: CheckpointerOptions & { /** The loop's own mark, in pages (tests lower it). */ loopMarkPages?: number } = {}): void {
    if (this.checkpointer || this.db.memory || this.db.pragma('journal_mode', { simple: true }) !== 'wal') return;
    const level = this.db.pragma('synchronous', { simple: true }) === SYNCHRONOUS_FULL ? 'FULL' : 'NORMAL';
    this.db.pragma(`wal_autocheckpoint = ${options.loopMarkPages ?? LOOP_AUTOCHECKPOINT_PAGES}`);
    this.checkpointer = new WalCheckpointer(resolve(this.db.name), level, {
      ...options,
      onError: (error) => {
        // The loop takes the whole checkpoint back, at SQLite's usual mark.
        if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
        options.onError?.(error);
      },
    });
  }

  get describe(): string {
    return `sqlite:${this.db.name}`;
  }

  inTransaction(): boolean {
    return this.context.getStore() !== undefined;
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      // Bounded: queries are fixed texts, but a caller building SQL per call must not grow this forever.
      if (this.statements.size > 2000) this.statements.clear();
      this.statements.set(sql, s);
    }
    return s;
  }

  /** Runs now when this context owns the connection or nobody holds it; else after the holder. */
  private when<T>(fn: () => T): Promise<T> {
    if (this.inTransaction() || !this.lock.held) {
      try {
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.lock.with(fn);
  }

  all<T>(sql: string, params: Params = []): Promise<T[]> {
    return this.when(() => this.statement(sql).all(...args(params)) as T[]);
  }

  get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return this.when(() => this.statement(sql).get(...args(params)) as T | undefined);
  }

  run(sql: string, params: Params = []): Promise<RunResult> {
    return this.when(() => {
      const statement = this.statement(sql);
      // A SELECT (or RETURNING) run for its effect: better-sqlite3 refuses .run on statements returning rows.
      if (statement.reader) return { changes: statement.all(...args(params)).length };
      return { changes: statement.run(...args(params)).changes };
    });
  }

  exec(sql: string): Promise<void> {
    return this.when(() => {
      this.db.exec(sql);
    });
  }

  async transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    const frame = this.context.getStore();
    if (frame) return this.savepoint(frame, fn);
    const flushOffLoop = options.flushOffLoop === true && this.walSync !== undefined;
    const release = await this.lock.acquire();
    let value: T;
    try {
      // The safety level is the connection's, and fixed outside a transaction: NORMAL for this
      // one commit (frames written, not flushed), FULL again for every other.
      if (flushOffLoop) this.db.exec('PRAGMA synchronous = NORMAL');
      try {
        this.db.exec('BEGIN IMMEDIATE');
        try {
          value = await this.context.run({ depth: 1 }, fn);
          this.db.exec('COMMIT');
          this.checkpointer?.committed();
        } catch (error) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw error;
        }
      } finally {
        if (flushOffLoop) this.db.exec('PRAGMA synchronous = FULL');
      }
    } finally {
      // Released before the flush: the next transaction is stored while the disk catches up.
      release();
    }
    if (flushOffLoop) await this.walSync!.sync();
    return value;
  }

  /** The log flush of an earlier `flushOffLoop` commit still in progress, if any (see GroupCommit). */
  logFlush(): Promise<void> | undefined {
    return this.walSync?.inProgress();
  }

  private async savepoint<T>(frame: TxFrame, fn: () => Promise<T>): Promise<T> {
    const name = `sp_${++this.savepoints}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const value = await this.context.run({ depth: frame.depth + 1 }, fn);
      this.db.exec(`RELEASE ${name}`);
      return value;
    } catch (error) {
      if (this.db.inTransaction) {
        this.db.exec(`ROLLBACK TO ${name}`);
        this.db.exec(`RELEASE ${name}`);
      }
      throw error;
    }
  }

  async close(): Promise<void> {
    // The thread's connection first: the loop's, closed last, checkpoints what is left and removes the log.
    await this.checkpointer?.close();
    await this.lock.with(() => {
      if (this.db.open) this.db.close();
    });
    await this.walSync?.close();
  }
}

/**
 * The better-sqlite3 handle under a SQLite store, for code not yet moved to the Store (issue 13):
 * on SQLite, its statements run on the same connection, inside the store's open transaction.
 * On PostgreSQL there is none, and such code says so instead of pretending.
 */
export function sqliteHandle(store: Store, what: string): Database.Database {
  if (store instanceof SqliteStore) return store.db;
  throw new Error(`${what} is not yet available on ${store.engine}: it still needs the embedded SQLite database`);
}
