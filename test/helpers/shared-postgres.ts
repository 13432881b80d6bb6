/**
 * One throwaway PostgreSQL server per test file for `XUNJIAN_TEST_ENGINE=postgres` (test collectors
 * each get a fresh database on it), stopped after the file by test/helpers/setup.ts — a test
 * worker is ended without its `exit` event, so a server left to that would outlive the run.
 */
import pg from 'pg';
import { startPostgres, type TestPostgres } from './postgres.js';

let shared: Promise<TestPostgres> | undefined;
let databases = 0;

/** A new, empty database on this test file's PostgreSQL server (started on first use). */
export async function freshPostgresDatabase(): Promise<string> {
  shared ??= startPostgres();
  const server = await shared;
  const name = `xj_${process.pid}_${++databases}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return server.url.replace(/\/[^/]*$/, `/${name}`);
}

/** Stops the file's server, if one was started. */
export async function stopSharedPostgres(): Promise<void> {
  const started = shared;
  shared = undefined;
  if (started) (await started).stop({ immediate: true });
}
