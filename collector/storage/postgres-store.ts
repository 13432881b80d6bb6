/**
 * The Store over a PostgreSQL pool (the `pg` driver). Outside a transaction a query takes any
 * pooled connection; `transaction(fn)` checks one out, and every query in fn's asynchronous context
 * runs on it (AsyncLocalStorage). BIGINT and NUMERIC come back as JavaScript numbers, as SQLite
 * gives them: the collector's integers (epoch milliseconds, counts) stay far below 2^53.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { numbered } from './placeholders.js';
import { POSTGRES_DIALECT } from './sql-dialect.js';
import type { Param, Params, RunResult, Store } from './store.js';
import { badRequest } from '../errors.js';

const INT8 = 20;
const NUMERIC = 1700;

const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

interface TxFrame {
  client: pg.PoolClient;
  depth: number;
}

export interface PostgresStoreOptions {
  /** Pool size per collector process (default 10). */
  max?: number;
  /** Application name shown in pg_stat_activity. */
  applicationName?: string;
}

/** The URL with its password replaced, for logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://(unparsable url)';
  }
}

export class PostgresStore implements Store {
  readonly engine = 'postgres' as const;
  readonly dialect = POSTGRES_DIALECT;
  readonly pool: pg.Pool;
  private readonly context = new AsyncLocalStorage<TxFrame>();
  private savepoints = 0;

  constructor(
    readonly url: string,
    options: PostgresStoreOptions = {},
  ) {
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.max ?? 10,
      application_name: options.applicationName ?? 'xunjian-collector',
      types: TYPES,
    });
    // An idle connection dropped by the server (restart, failover) is an event, not a crash.
    this.pool.on('error', () => undefined);
  }

  get describe(): string {
    return redactUrl(this.url);
  }

  inTransaction(): boolean {
    return this.context.getStore() !== undefined;
  }

  private async query(sql: string, params: Params): Promise<pg.QueryResult> {
    const target = this.context.getStore()?.client ?? this.pool;
    if (Array.isArray(params) && params.length === 0) return target.query(sql);
    const { text, names, name } = numbered(sql);
    const values = Array.isArray(params)
      ? (params as unknown[])
      : names.map((key) => {
          const named = params as Readonly<Record<string, Param>>;
          if (!(key in named)) throw new Error(`no value for @${key}`);
          return named[key];
        });
    // A named statement: each connection parses and plans the text once, then only binds values.
    try {
      return await target.query({ name, text, values });
    } catch (err) {
      throw refusedValue(err) ?? err;
    }
  }

  async all<T>(sql: string, params: Params = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params: Params = []): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params: Params = []): Promise<RunResult> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    // No parameters: the simple query protocol, which runs several statements.
    await this.query(sql, []);
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const frame = this.context.getStore();
    if (frame) return this.savepoint(frame, fn);
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      try {
        const value = await this.context.run({ client, depth: 1 }, fn);
        await client.query('COMMIT');
        return value;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch {
          broken = true; // the connection is gone: do not hand it to the next caller
        }
        throw error;
      }
    } finally {
      client.release(broken);
    }
  }

  private async savepoint<T>(frame: TxFrame, fn: () => Promise<T>): Promise<T> {
    const name = `sp_${++this.savepoints}`;
    await frame.client.query(`SAVEPOINT ${name}`);
    try {
      const value = await this.context.run({ client: frame.client, depth: frame.depth + 1 }, fn);
      await frame.client.query(`RELEASE SAVEPOINT ${name}`);
      return value;
    } catch (error) {
      await frame.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * PostgreSQL refuses some values SQLite takes: a NUL character in text, an integer beyond BIGINT, a
 * malformed number (SQLSTATE class 22, data exception). They come from a request's values (a path
 * parameter, a query string): the caller gets a 400 naming the problem, not a 500 — on SQLite the
 * same request finds nothing or is refused by validation.
 */
function refusedValue(err: unknown): Error | undefined {
  const e = err as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code !== 'string' || !e.code.startsWith('22')) return undefined;
  return badRequest('bad_value', `a value in the request cannot be used: ${String(e.message)}`);
}
