import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { XunjianError, type CollectorConfig } from '../schemas/index.js';
import { buildApp, configWithDefaults, type AppOptions } from './app.js';
import { dbPathOf } from './config.js';
import { openDatabase, type Db } from './storage/db.js';

export { dbPathOf };

const RETENTION_EVERY_MS = 60 * 60 * 1000;
const DAY_MS = 86_400_000;

export interface RunningCollector {
  app: FastifyInstance;
  db: Db;
  /** e.g. http://127.0.0.1:8470 */
  url: string;
  port: number;
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

/** Opens the database, builds the app and listens; retention runs at start and hourly. */
export async function startCollector(
  partial: Partial<CollectorConfig>,
  extra: Omit<AppOptions, 'db' | 'config' | 'https'> = {},
): Promise<RunningCollector> {
  const config = configWithDefaults(partial);
  const db = openDatabase(dbPathOf(config), { durability: config.durability });
  const https = readTls(config);
  const app = await buildApp({ ...extra, db, config, ...(https ? { https } : {}) });

  const prune = () => {
    if (config.retention.rawDays <= 0) return;
    try {
      const { reports } = app.repos.reports.pruneBefore(Date.now() - config.retention.rawDays * DAY_MS);
      if (reports > 0) app.log.info({ reports }, 'retention: raw measurements folded into hourly rollups');
    } catch (err) {
      app.log.error({ err }, 'retention failed');
    }
  };
  prune();
  const timer = setInterval(prune, RETENTION_EVERY_MS);
  timer.unref();

  try {
    await app.listen({ host: config.listen.host, port: config.listen.port });
  } catch (err) {
    clearInterval(timer);
    await app.close();
    db.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.listen.port;
  const host = config.listen.host.includes(':') ? `[${config.listen.host}]` : config.listen.host;
  const shownHost = host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host;
  return {
    app,
    db,
    port,
    url: `${https ? 'https' : 'http'}://${shownHost}:${port}`,
    async close() {
      clearInterval(timer);
      await app.close();
      db.close();
    },
  };
}
