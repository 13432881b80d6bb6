import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { XunjianError, type CollectorConfig } from '../schemas/index.js';
import { buildApp, configWithDefaults, type AppOptions } from './app.js';
import { dbPathOf, storageOf } from './config.js';
import { openDatabase, type Db } from './storage/db.js';
import { isPostgresUrl, noSqliteHandle, openStore } from './storage/open-store.js';
import { SqliteStore, sqliteStore } from './storage/sqlite-store.js';
import type { Store } from './storage/store.js';
import { privateDirectory } from './storage/private-files.js';
import { scheduleRetention, type RetentionSchedule } from './storage/retention.js';

export { dbPathOf };

export interface RunningCollector {
  app: FastifyInstance;
  /** The SQLite handle (on PostgreSQL a stand-in that says there is none). */
  db: Db;
  store: Store;
  /** e.g. http://127.0.0.1:8470 */
  url: string;
  port: number;
  /** Retention of raw measurements (runs at start and hourly; `runNow` for tests and tools). */
  retention: RetentionSchedule;
  close(): Promise<void>;
}

function readTls(config: CollectorConfig): { cert: Buffer; key: Buffer } | undefined {
  if (!config.tls) return undefined;
  try {
    return { cert: readFileSync(config.tls.cert), key: readFileSync(config.tls.key) };
  } catch (cause) {
    throw new XunjianError('CONFIG', `cannot read TLS certificate or key: ${(cause as Error).message}`, { cause });
  }
}

export interface StartOptions extends Omit<AppOptions, 'db' | 'config' | 'https'> {
  /** How often retention runs after the run at start (default hourly; tests shorten it). */
  retentionEveryMs?: number;
}

/** The embedded SQLite file, or the PostgreSQL database the configuration names (migrated either way). */
async function openStorage(config: CollectorConfig): Promise<{ db: Db; store: Store }> {
  const location = storageOf(config);
  if (isPostgresUrl(location)) return { db: noSqliteHandle(location), store: await openStore(location, config.storage?.poolSize ? { poolSize: config.storage.poolSize } : {}) };
  privateDirectory(config.dataDir);
  const db = openDatabase(dbPathOf(config), { durability: config.durability });
  return { db, store: sqliteStore(db) };
}

/** Opens the database, builds the app and listens; retention runs at start and hourly. */
export async function startCollector(partial: Partial<CollectorConfig>, extra: StartOptions = {}): Promise<RunningCollector> {
  const config = configWithDefaults(partial);
  const { db, store } = await openStorage(config);
  const https = readTls(config);
  const { retentionEveryMs, ...appOptions } = extra;
  let app: FastifyInstance;
  try {
    app = await buildApp({ ...appOptions, db, store, config, ...(https ? { https } : {}) });
  } catch (err) {
    await store.close();
    throw err;
  }
  // The log is copied back into the database from a thread of its own, not in the COMMITs of ingest.
  if (store instanceof SqliteStore) store.checkpointInBackground({ onError: (err) => app.log.warn({ err }, 'background checkpoint stopped; COMMIT checkpoints alone') });
  const retention = scheduleRetention(
    { reports: app.repos.reports, clock: app.clock, log: app.log, metrics: app.metrics, holds: (ttlMs) => app.cluster.holds('retention', ttlMs) },
    { rawDays: config.retention.rawDays, ...(retentionEveryMs ? { everyMs: retentionEveryMs } : {}) },
  );

  try {
    await app.listen({ host: config.listen.host, port: config.listen.port });
  } catch (err) {
    await retention.stop();
    await app.close();
    await store.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  const shownHost = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  return {
    app,
    db,
    store,
    port,
    url: `${https ? 'https' : 'http'}://${shownHost}:${port}`,
    retention,
    async close() {
      await retention.stop();
      await app.close();
      await store.close();
    },
  };
}
