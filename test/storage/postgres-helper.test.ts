import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresMissing, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const missing = postgresMissing();
if (missing) console.warn(`skipping PostgreSQL tests: ${missing}`);

describe.skipIf(missing !== null)('a throwaway PostgreSQL cluster for tests', () => {
  let server: TestPostgres;
  beforeAll(async () => {
    server = await startPostgres();
  }, 120_000);
  afterAll(() => server?.stop());

  it('answers on its loopback port as PostgreSQL 15 or newer, with durable commits', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    try {
      const version = await client.query<{ server_version_num: string }>('SHOW server_version_num');
      expect(Number(version.rows[0]!.server_version_num)).toBeGreaterThanOrEqual(150000);
      const fsync = await client.query<{ fsync: string }>('SHOW fsync');
      expect(fsync.rows[0]!.fsync).toBe('on');
      await client.query('CREATE TABLE t (id int PRIMARY KEY)');
      await client.query('INSERT INTO t VALUES (1), (2)');
      expect((await client.query('SELECT count(*)::int AS n FROM t')).rows[0].n).toBe(2);
    } finally {
      await client.end();
    }
  });

  it('is gone after stop: its directory removed, its port closed', async () => {
    const other = await startPostgres();
    other.stop({ immediate: true });
    const client = new pg.Client({ connectionString: other.url, connectionTimeoutMillis: 2000 });
    await expect(client.connect()).rejects.toThrow();
    const { existsSync } = await import('node:fs');
    expect(existsSync(other.dataDir)).toBe(false);
  }, 120_000);
});
