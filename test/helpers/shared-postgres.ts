/**
 * One throwaway PostgreSQL server per test worker for `XUNJIAN_TEST_ENGINE=postgres`: test
 * collectors each get a fresh database on it, and the databases a file made are dropped after it
 * (test/helpers/setup.ts). A worker runs many files (vitest `isolate: false`), so the server is
 * started once per worker, not once per file (initdb and start: 1.3–1.4 s each time). A worker is
 * ended without its `exit` event, so the server is not stopped from the worker: each one is
 * written down in the run's registry (test/helpers/postgres-sweep.ts), which stops them all when
 * the run ends.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { startPostgres, type TestPostgres } from './postgres.js';

let shared: Promise<TestPostgres> | undefined;
let databases = 0;
/** The databases of the file running now, dropped after it. */
const ofThisFile: string[] = [];

async function server(): Promise<TestPostgres> {
  shared ??= startPostgres().then((started) => {
    writeFileSync(join(inject('postgresRegistry'), `${process.pid}-${started.port}`), started.dir);
    return started;
  });
  return shared;
}

/** Runs the statements one after another on one connection to the server's own database. */
async function asAdmin(url: string, statements: string[]): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    for (const sql of statements) await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** A new, empty database on this worker's PostgreSQL server (started on first use). */
export async function freshPostgresDatabase(): Promise<string> {
  const { url } = await server();
  const name = `xj_${process.pid}_${++databases}`;
  await asAdmin(url, [`CREATE DATABASE ${name}`]);
  ofThisFile.push(name);
  return url.replace(/\/[^/]*$/, `/${name}`);
}

/** Drops the databases the finished file made (its collectors are closed; FORCE ends what a test left open). */
export async function dropFileDatabases(): Promise<void> {
  const names = ofThisFile.splice(0);
  if (!shared || names.length === 0) return;
  const { url } = await shared;
  await asAdmin(url, names.map((name) => `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
