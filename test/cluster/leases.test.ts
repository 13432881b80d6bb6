/**
 * Leases for the jobs that run once across collectors on one database: three stores (three
 * collectors' connections) race for a lease on SQLite (one file) and on a real PostgreSQL — exactly
 * one holds it at a time, renewing keeps the fencing token, a takeover after expiry raises it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tryAcquire, release } from '../../collector/cluster/leases.js';
import { openStore } from '../../collector/storage/open-store.js';
import type { Store } from '../../collector/storage/store.js';
import { tempDir } from '../helpers/collector.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../helpers/postgres.js';

function suite(engine: string, location: () => Promise<string>, skip: boolean) {
  describe.skipIf(skip)(`leases on ${engine}`, () => {
    let stores: Store[] = [];
    beforeAll(async () => {
      const at = await location();
      const first = await openStore(at);
      stores = [first, await openStore(at, { migrate: false }), await openStore(at, { migrate: false })];
    }, 120_000);
    afterAll(async () => {
      for (const s of stores) await s.close();
    });

    it('one holder at a time among three racing collectors; renewal keeps the token, a takeover after expiry raises it', async () => {
      const ttl = 1000;
      let now = 1_000_000;
      let holder: string | undefined;
      let token = 0;
      for (let round = 0; round < 30; round++) {
        const got = await Promise.all(stores.map((s, i) => tryAcquire(s, 'retention', `c${i}`, ttl, now)));
        const winners = got.filter((g) => g !== undefined);
        expect(winners).toHaveLength(1);
        const w = winners[0]!;
        if (holder === undefined || w.holder !== holder) {
          expect(w.token).toBeGreaterThan(token);
        } else {
          expect(w.token).toBe(token);
        }
        holder = w.holder;
        token = w.token;
        // Every third round the lease runs out before anyone renews; otherwise it is still held.
        now += round % 3 === 2 ? ttl + 1 : ttl / 4;
      }
      // The holder lets it go: another takes it at once.
      await release(stores[0]!, 'retention', holder!);
      const other = holder === 'c1' ? 'c2' : 'c1';
      const taken = await tryAcquire(stores[1]!, 'retention', other, ttl, now);
      expect(taken).toMatchObject({ holder: other });
      expect(await tryAcquire(stores[2]!, 'silence-scan', 'c2', ttl, now)).toMatchObject({ holder: 'c2', token: 1 });
    });
  });
}

const dir = tempDir('xunjian-leases-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
suite('SQLite (one file, three connections)', async () => join(dir, 'leases.db'), false);
let server: TestPostgres | undefined;
suite(
  'PostgreSQL',
  async () => {
    server = await startPostgres();
    return server.url;
  },
  postgresMissing() !== null,
);
afterAll(() => server?.stop());
