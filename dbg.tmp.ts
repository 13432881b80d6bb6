import { join } from 'node:path';
import { openStore } from './collector/storage/open-store.js';
import { createRepositories } from './collector/repositories/index.js';
import { realisticReport, spawnCollector, tempDir } from './test/helpers/collector.js';
import { startPostgres } from './test/helpers/postgres.js';
const pg = await startPostgres();
const store = await openStore(pg.url);
const { token } = await createRepositories(store).tokens.create({ name: 'a', role: 'agent', site: 'bench' });
await store.close();
const c = await spawnCollector(join(tempDir(), 'u.db'), ['--log-level', 'error'], { XUNJIAN_DATABASE_URL: pg.url });
const statuses = new Map<string, number>();
let stop = false;
setTimeout(() => (stop = true), 4000);
await Promise.all(Array.from({ length: 8 }, async (_, n) => {
  for (let i = 0; !stop; i++) {
    const r = await fetch(`${c.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(realisticReport({ id: `dbg-${n}-${i}-xxxxxxxx` })) });
    const k = r.status === 201 ? '201' : `${r.status} ${(await r.text()).slice(0, 200)}`;
    statuses.set(k, (statuses.get(k) ?? 0) + 1);
  }
}));
console.log(statuses);
await c.stop();
console.log(c.stderr().slice(0, 3000));
pg.stop();
