/**
 * Concurrent ingest into two, then three collector processes on one real PostgreSQL, one of them
 * killed with SIGKILL mid-stream. Eight agents send their reports round robin; a report whose
 * request fails (the connection dropped by the kill) is sent again to the next collector, as an
 * agent with several collector URLs does. Afterwards every acknowledged report is stored exactly
 * once, with all its measurements — none half-written, none twice. Before the kill, retention's
 * run at start has run on exactly one of them (its lease).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../collector/repositories/index.js';
import { openStore } from '../../collector/storage/open-store.js';
import type { Store } from '../../collector/storage/store.js';
import { realisticReport, spawnCollector, tempDir, until, type CollectorProcess } from '../helpers/collector.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const missing = postgresMissing();
if (missing) console.warn(`kill -9 ingest test skipped: ${missing}`);
const AGENTS = 8;
const PER_AGENT = 40;

for (const COLLECTORS of [2, 3]) describe.skipIf(missing !== null)(`ingest across ${COLLECTORS} collectors, one killed -9`, () => {
  let pg: TestPostgres;
  let store: Store;
  const children: CollectorProcess[] = [];
  const dir = tempDir('xunjian-kill-ingest-');

  beforeAll(async () => {
    pg = await startPostgres();
    store = await openStore(pg.url);
    for (let i = 0; i < COLLECTORS; i++) children.push(await spawnCollector(join(dir, `unused-${i}.db`), [], { XUNJIAN_DATABASE_URL: pg.url }));
  }, 120_000);
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) await c.stop();
    await store?.close();
    pg?.stop();
  });

  it('runs retention at start on one collector only', async () => {
    const lastRun = async (c: CollectorProcess) => Number(/^xunjian_retention_last_run_timestamp_seconds (\S+)$/m.exec(await (await fetch(`${c.url}/metrics`)).text())?.[1] ?? NaN);
    await until('retention run at start by one', async () => ((await Promise.all(children.map(lastRun))).some((t) => t > 0) ? true : undefined));
    expect((await Promise.all(children.map(lastRun))).filter((t) => t > 0)).toHaveLength(1);
  });

  it('stores every acknowledged report once and whole', async () => {
    const repos = createRepositories(store);
    const tokens: string[] = [];
    for (let a = 0; a < AGENTS; a++) tokens.push((await repos.tokens.create({ name: `agent-${a}`, role: 'agent', site: 'bank', device: `srv${a}` })).token);
    const acked = new Set<string>();
    let failovers = 0;
    const send = async (a: number, id: string, body: string, first: number): Promise<void> => {
      for (let attempt = 0; attempt < 6; attempt++) {
        const c = children[(first + attempt) % COLLECTORS]!;
        try {
          const res = await fetch(`${c.url}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[a]!}` }, body });
          if (res.status === 201 || res.status === 200) {
            acked.add(id);
            return;
          }
          expect(res.status, await res.text()).toBeGreaterThanOrEqual(500);
        } catch {
          // the connection died with the collector: the other one gets it
        }
        failovers++;
      }
      throw new Error(`report ${id} never acknowledged`);
    };
    const agent = async (a: number) => {
      for (let i = 0; i < PER_AGENT; i++) {
        const id = `kill-${a}-${String(i).padStart(4, '0')}`;
        const body = JSON.stringify(realisticReport({ site: 'bank', hostname: `srv${a}`, id, at: new Date(Date.parse('2026-12-01T00:00:00Z') + i * 60_000) }));
        await send(a, id, body, (a + i) % COLLECTORS);
      }
    };
    const running = Promise.all(Array.from({ length: AGENTS }, (_, a) => agent(a)));
    await until('a quarter of the reports acknowledged', () => (acked.size >= (AGENTS * PER_AGENT) / 4 ? true : undefined), 60_000, 10);
    children[0]!.child.kill('SIGKILL');
    await children[0]!.exited;
    await running;

    expect(acked.size).toBe(AGENTS * PER_AGENT);
    expect(failovers).toBeGreaterThan(0);
    const stored = await store.all<{ report_id: string; n: number }>(
      'SELECT r.report_id, count(m.seq) AS n FROM reports r LEFT JOIN measurements m ON m.report_id = r.id GROUP BY r.report_id ORDER BY r.report_id',
    );
    expect(stored.map((r) => r.report_id)).toEqual([...acked].sort());
    expect((await store.get<{ n: number }>('SELECT count(*) AS n FROM reports'))!.n).toBe(acked.size);
    const perReport = realisticReport().measurements.length;
    expect(stored.filter((r) => r.n !== perReport)).toEqual([]);
  }, 180_000);
});
