/**
 * The collector's storage, one interface over two engines: the embedded SQLite file (default) and
 * PostgreSQL for several collectors on one database (issue 13). Repositories write ONE portable SQL
 * text per query with `?` placeholders; the PostgreSQL engine numbers them ($1, $2…). What the two
 * dialects spell differently lives in `dialect` (see sql-dialect.ts), never in two copies of a query.
 *
 * Transactions are ambient: inside `store.transaction(fn)`, every query made through this store in
 * fn's asynchronous context (repositories included) runs in that transaction, on its connection.
 * A transaction begun inside another becomes a savepoint. Outside a transaction, SQLite queries
 * wait while another transaction holds the single connection (they would otherwise join it).
 *
 * Placeholders: `?` with an array, or `@name` with an object (never both in one text).
 *
 * Portable SQL rules (both engines run it):
 * - `INSERT … ON CONFLICT (…) DO NOTHING | DO UPDATE SET x = excluded.x`, never `INSERT OR …`;
 *   new ids with `RETURNING id`, never lastInsertRowid.
 * - `COALESCE`, never `IFNULL`; scalar max/min of two values: `dialect.greatest/least`.
 * - A parameter whose type the SQL does not fix (`? IS NULL`, `SELECT ?`) is cast: `CAST(? AS TEXT)`.
 * - Every non-aggregated column of a grouped SELECT is in its GROUP BY.
 * - A comparison is not a value: write `CASE WHEN … THEN 1 ELSE 0 END` (PostgreSQL returns booleans).
 * - Integers are stored as BIGINT on PostgreSQL and read back as numbers; times are ISO text or epoch ms.
 */
import type { Dialect } from './sql-dialect.js';

export type Engine = 'sqlite' | 'postgres';
/** A value bound to a placeholder; arrays only on PostgreSQL (`unnest(?::text[])`), which binds them as its arrays. */
export type Param = string | number | bigint | null | Buffer | readonly (string | number | null)[];
/** Positional values for `?`, or named values for `@name` placeholders (keys without the @). */
export type Params = readonly Param[] | Readonly<Record<string, Param>>;

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
}

/** Where queries run: the store itself, or (implicitly) the transaction open in this context. */
export interface Queryable {
  all<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: Params): Promise<T | undefined>;
  run(sql: string, params?: Params): Promise<RunResult>;
  /** Several statements, no parameters (DDL). */
  exec(sql: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * SQLite at durability `full`: commit without waiting for the disk, then flush the log from the
   * thread pool; the promise still resolves only once the commit is on disk (see wal-sync.ts).
   * For the group commit, whose next batch can be stored during the flush. Ignored elsewhere.
   */
  flushOffLoop?: boolean;
}

export interface Store extends Queryable {
  readonly engine: Engine;
  readonly dialect: Dialect;
  /**
   * Runs fn in a transaction (a savepoint when one is already open in this context): committed
   * when fn resolves, rolled back when it throws. `immediate` (SQLite) takes the write lock at BEGIN.
   */
  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** True inside a transaction of this store in the current asynchronous context. */
  inTransaction(): boolean;
  /** SQLite: the log flush of an earlier `flushOffLoop` commit still in progress, if any; it never rejects. */
  logFlush?(): Promise<void> | undefined;
  close(): Promise<void>;
  /** A description for logs and `collector status`, without any password. */
  readonly describe: string;
}

/** Whether a write failed on a UNIQUE or PRIMARY KEY constraint, on either engine (a 409 to the caller, not a 500). */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
