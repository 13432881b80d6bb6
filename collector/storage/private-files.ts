import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';

/*
 * At rest (service plan 3.4.5): the database holds every customer's equipment record, addresses
 * and the users' password hashes, so only the collector's own account may read it. Files made
 * before this rule (0644 under the default umask) are tightened at every start, not only new ones.
 */

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates the directory (and missing parents) as 0700 and tightens it to 0700 if it existed. */
export function privateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Creates an empty file as 0600 when missing, tightens an existing one to 0600. */
export function privateFile(path: string): void {
  if (existsSync(path)) chmodSync(path, PRIVATE_FILE_MODE);
  else closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
}

/**
 * The database file and the files SQLite keeps beside it. SQLite creates its -wal, -shm and
 * -journal files with the database file's own mode, so a 0600 database keeps them 0600 when they
 * are made again later; those already there are tightened here.
 */
export function privateDatabaseFiles(dbPath: string): void {
  privateFile(dbPath);
  for (const suffix of ['-wal', '-shm', '-journal']) {
    if (existsSync(dbPath + suffix)) chmodSync(dbPath + suffix, PRIVATE_FILE_MODE);
  }
}
