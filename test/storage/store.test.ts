/**
 * The Store contract on both engines: the same portable SQL, placeholders, ambient transactions,
 * savepoints, rollback, integers read back as numbers, and a query from another context never
 * landing inside someone else's open transaction.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../collector/storage/postgres-store.js';
import { sqliteStore } from '../../collector/storage/sqlite-store.js';
import type { Store } from '../../collector/storage/store.js';
import { numberedPlaceholders } from '../../collector/storage/placeholders.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const missing = postgresMissing();
if (missing) console.warn(`PostgreSQL half of the store contract skipped: ${missing}`);

const TABLE = `CREATE TABLE items (id BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, at BIGINT NOT NULL, score DOUBLE PRECISION)`;

function contract(name: string, open: () => Promise<Store>, skip = false) {
  describe.skipIf(skip)(`the store on ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
      await store.exec(`DROP TABLE IF EXISTS items; ${TABLE}`);
    }, 120_000);
    afterAll(async () => store?.close());

    it('runs one portable text with ? placeholders and reads integers back as numbers', async () => {
      await store.run('INSERT INTO items (id, name, at, score) VALUES (?, ?, ?, ?)', [1, 'a', 1_764_547_200_000, 0.5]);
      const row = await store.get<{ id: number; name: string; at: number; score: number }>('SELECT * FROM items WHERE name = ?', ['a']);
      expect(row).toEqual({ id: 1, name: 'a', at: 1_764_547_200_000, score: 0.5 });
      const count = await store.get<{ n: number }>('SELECT count(*) AS n FROM items');
      expect(count!.n).toBe(1);
      const upsert = await store.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING', [2, 'a', 0]);
      expect(upsert.changes).toBe(0);
      expect(await store.get("SELECT name FROM items WHERE name = 'what?'")).toBeUndefined();
      expect(await store.get(`SELECT ${store.dialect.greatest('CAST(? AS INTEGER)', 'CAST(? AS INTEGER)')} AS g`, [3, 7])).toEqual({ g: 7 });
    });

    it('takes @name placeholders with an object, a name used twice passed once', async () => {
      await store.run('INSERT INTO items (id, name, at) VALUES (@id, @name, @id)', { id: 5, name: 'named' });
      expect(await store.get('SELECT at FROM items WHERE name = @name', { name: 'named' })).toEqual({ at: 5 });
    });

    it('commits a transaction, and rolls one back whole when it throws', async () => {
      await store.transaction(async () => {
        await store.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [10, 'ten', 1]);
        expect(store.inTransaction()).toBe(true);
      });
      await expect(
        store.transaction(async () => {
          await store.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [11, 'eleven', 1]);
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      const names = (await store.all<{ name: string }>('SELECT name FROM items WHERE id >= 10 ORDER BY id')).map((r) => r.name);
      expect(names).toEqual(['ten']);
      expect(store.inTransaction()).toBe(false);
    });

    it('a transaction inside another is a savepoint: its failure undoes only itself', async () => {
      await store.transaction(async () => {
        await store.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [20, 'outer', 1]);
        await expect(
          store.transaction(async () => {
            await store.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [21, 'inner', 1]);
            throw new Error('inner fails');
          }),
        ).rejects.toThrow('inner fails');
        await store.transaction(async () => {
          await store.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [22, 'inner-ok', 1]);
        });
      });
      const names = (await store.all<{ name: string }>('SELECT name FROM items WHERE id >= 20 ORDER BY id')).map((r) => r.name);
      expect(names).toEqual(['outer', 'inner-ok']);
    });

    it("a query from another context does not see or join an open transaction's writes", async () => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const tx = store.transaction(async () => {
        await store.run('INSERT INTO items (id, name, at) VALUES (?, ?, ?)', [30, 'pending', 1]);
        entered();
        await gate;
        throw new Error('rolled back');
      });
      await inside;
      const outside = store.get<{ n: number }>('SELECT count(*) AS n FROM items WHERE id = 30');
      release();
      await expect(tx).rejects.toThrow('rolled back');
      expect((await outside)!.n).toBe(0);
    });
  });
}

describe('placeholders', () => {
  it('numbers ? outside quotes and comments only', () => {
    expect(numberedPlaceholders(`SELECT '?', "a?" FROM t WHERE a = ? AND b = ? -- c?\n AND c = ? /* ? */`)).toBe(
      `SELECT '?', "a?" FROM t WHERE a = $1 AND b = $2 -- c?\n AND c = $3 /* ? */`,
    );
    expect(numberedPlaceholders(`SELECT 'it''s ?' , ?`)).toBe(`SELECT 'it''s ?' , $1`);
  });
});

contract('SQLite', async () => sqliteStore(new Database(':memory:')));

let server: TestPostgres | undefined;
contract(
  'PostgreSQL',
  async () => {
    server = await startPostgres();
    return new PostgresStore(server.url);
  },
  missing !== null,
);
afterAll(() => server?.stop());
