/**
 * Runs a suite once per storage engine: on a SQLite file and on a real PostgreSQL (Debian's,
 * started in a temporary directory by test/helpers/postgres.ts). The PostgreSQL half is skipped,
 * saying why, only where its binaries are absent.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openStore } from '../../collector/storage/open-store.js';
import type { Store } from '../../collector/storage/store.js';
import { tempDir } from './collector.js';
import { postgresMissing, startPostgres, type TestPostgres } from './postgres.js';

export type EngineSuite = (engine: 'SQLite' | 'PostgreSQL', open: () => Promise<Store>, skip: boolean) => void;

export function onBothEngines(what: string, suite: EngineSuite): void {
  const missing = postgresMissing();
  if (missing) console.warn(`PostgreSQL half of the ${what} tests skipped: ${missing}`);
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  suite('SQLite', () => openStore(join(dir, 'store.db')), false);
  let server: TestPostgres | undefined;
  suite(
    'PostgreSQL',
    async () => {
      server = await startPostgres();
      return openStore(server.url);
    },
    missing !== null,
  );
  afterAll(() => server?.stop());
}
