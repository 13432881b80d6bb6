/**
 * Opens the collector's storage by location: a `postgres://` (or `postgresql://`) URL is a
 * PostgreSQL database shared by any number of collectors; anything else is the path of the
 * embedded SQLite file (the default). Both come back migrated unless told otherwise.
 */
import { existsSync } from 'node:fs';
import { XunjianError } from '../../schemas/index.js';
import { openDatabase, type Db, type OpenOptions } from './db.js';
import { migrateStore } from './migrate-store.js';
import { PostgresStore, redactUrl } from './postgres-store.js';
import { sqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

export interface OpenStoreOptions extends OpenOptions {
  /** PostgreSQL pool size per collector process. */
  poolSize?: number;
}

export async function openStore(location: string, options: OpenStoreOptions & { mustExist?: boolean } = {}): Promise<Store> {
  if (isPostgresUrl(location)) {
    const store = new PostgresStore(location, options.poolSize !== undefined ? { max: options.poolSize } : {});
    try {
      if (options.migrate !== false) await migrateStore(store);
    } catch (error) {
      await store.close();
      throw error;
    }
    return store;
  }
  // A one-off command pointed at a file that is not there has the wrong path, not a new database to make.
  if (options.mustExist && !existsSync(location)) throw new XunjianError('USAGE', `no collector database at ${location} (start the collector once, or pass --db or --database-url)`);
  return sqliteStore(openDatabase(location, options));
}

const INTROSPECTED = new Set(['then', 'getter', 'setter', 'toJSON', 'constructor', 'inspect']);

/**
 * What `app.db` is on PostgreSQL: there is no SQLite handle, and code that still asks for one
 * (a SQLite-only tool such as the file backup) is told so by name instead of failing obscurely.
 */
export function noSqliteHandle(location: string): Db {
  return new Proxy({} as Db, {
    get(_target, property) {
      // What libraries look for on any value (a thenable? a fastify getter/setter decoration?) is absent.
      if (typeof property === 'symbol' || INTROSPECTED.has(property)) return undefined;
      if (property === 'open') return false;
      throw new Error(`the collector's data is in PostgreSQL (${redactUrl(location)}): there is no SQLite database handle (asked for .${String(property)})`);
    },
  });
}
