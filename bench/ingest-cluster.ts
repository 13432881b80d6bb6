/**
 * bench/ingest-cluster — realistic agent reports (60 measurements each) POSTed over loopback by N
 * concurrent clients into `xunjian collector serve` processes: one collector on the SQLite file,
 * and 1, 2 or 3 collectors sharing one PostgreSQL database (Debian's PostgreSQL 15, started here in
 * a temporary directory), the clients spread round-robin over the collectors as a load balancer
 * would. Each client is one server's agent (its own device and agent token), as in a site: reports
 * of different devices, not one device's reports queued behind each other. Same run, same machine,
 * side by side.
 *
 *   npx tsx bench/ingest-cluster.ts [--clients 16] [--seconds 10] [--collectors 1,2,3] [--sqlite yes|no]
 *
 * Printed per setup: measurements/s, p50/p99 latency, failed requests, and CPU seconds per 10,000
 * measurements of each part — the collectors (utime+stime of their processes) and PostgreSQL (its
 * postmaster's children). On this 2-core machine the clients, the collectors and the database
 * share the CPU, so the CPU figures say more than the wall-clock rate.
 *
 * Floor (issue 13): PostgreSQL with one collector ≥ 20,000 measurements/s at p99 < 100 ms, no errors.
 */
import { rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../collector/storage/open-store.js';
import { createRepositories } from '../collector/repositories/index.js';
import { createToken, realisticReport, spawnCollector, tempDir, type CollectorProcess } from '../test/helpers/collector.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { cpuMsOf, postgresCpuMs } from './proc-cpu.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '10' },
    collectors: { type: 'string', default: '1,2,3' },
    sqlite: { type: 'string', default: 'yes' },
  },
});
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const WARMUP_S = 2;
const PER_REPORT = realisticReport().measurements.length;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuMsOf(pid), 0);

interface Figures {
  setup: string;
  perS: number;
  p50: number;
  p99: number;
  failures: number;
  collectorCpuPer10k: number;
  databaseCpuPer10k: number | null;
}

/** `databaseCpuMs`: the database's CPU so far in ms (null: no separate database process). */
async function drive(setup: string, collectors: CollectorProcess[], tokens: string[], databaseCpuMs: () => number | null): Promise<Figures> {
  const agents = collectors.map(() => new http.Agent({ keepAlive: true, maxSockets: CLIENTS }));
  const templates = tokens.map((_, n) => JSON.stringify(realisticReport({ id: 'bench-ID-PLACEHOLDER', hostname: `srv${n}` })));
  const slug = setup.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const post = (n: number, id: string) =>
    new Promise<number>((resolve, reject) => {
      const c = n % collectors.length;
      const url = new URL(collectors[c]!.url);
      const body = templates[n]!.replace('bench-ID-PLACEHOLDER', id);
      const req = http.request(
        { host: url.hostname, port: url.port, path: '/api/v1/reports', method: 'POST', agent: agents[c], headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${tokens[n]!}` } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let stop = false;
  let measuring = false;
  const latencies: number[] = [];
  let reports = 0;
  let failures = 0;
  const client = async (n: number) => {
    for (let i = 0; !stop; i++) {
      const started = performance.now();
      const status = await post(n, `bench-${slug}-${n}-${i}`).catch(() => 0);
      const ms = performance.now() - started;
      if (status !== 201) failures++;
      else if (measuring) {
        latencies.push(ms);
        reports++;
      }
    }
  };
  const running = Array.from({ length: CLIENTS }, (_, n) => client(n));
  await new Promise((r) => setTimeout(r, WARMUP_S * 1000));
  const collectorPids = collectors.map((c) => c.child.pid!);
  const c0 = cpuOf(collectorPids);
  const d0 = databaseCpuMs();
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  const collectorMs = cpuOf(collectorPids) - c0;
  const d1 = databaseCpuMs();
  stop = true;
  await Promise.all(running);
  for (const a of agents) a.destroy();
  latencies.sort((a, b) => a - b);
  const measurements = reports * PER_REPORT;
  return {
    setup,
    perS: measurements / elapsed,
    p50: pct(latencies, 50),
    p99: pct(latencies, 99),
    failures,
    collectorCpuPer10k: (collectorMs / 1000 / measurements) * 10_000,
    databaseCpuPer10k: d0 === null || d1 === null ? null : ((d1 - d0) / 1000 / measurements) * 10_000,
  };
}

async function main() {
  const dir = tempDir('xunjian-bench-cluster-');
  const cpus = (await import('node:os')).cpus();
  console.log(`bench/ingest-cluster — ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, node ${process.version}, ${CLIENTS} clients, ${SECONDS} s each (after ${WARMUP_S} s warm-up), durability full\n`);
  const results: Figures[] = [];

  if (args.sqlite !== 'no') {
    const dbPath = join(dir, 'sqlite.db');
    const tokens = Array.from({ length: CLIENTS }, (_, n) => createToken(dbPath, 'agent', 'bench', `agent-srv${n}`));
    const c = await spawnCollector(dbPath, ['--log-level', 'error']);
    try {
      results.push(await drive('SQLite, 1 collector', [c], tokens, () => null));
    } finally {
      await c.stop();
    }
  }

  for (const n of args.collectors.split(',').map(Number).filter((x) => x > 0)) {
    const pg = await startPostgres();
    try {
      const store = await openStore(pg.url);
      const repos = createRepositories(store);
      const tokens: string[] = [];
      for (let i = 0; i < CLIENTS; i++) tokens.push((await repos.tokens.create({ name: `agent-srv${i}`, role: 'agent', site: 'bench' })).token);
      await store.close();
      const collectors: CollectorProcess[] = [];
      try {
        // Each its own (unused) SQLite path: the URL in the environment wins over it.
        for (let i = 0; i < n; i++) collectors.push(await spawnCollector(join(dir, `unused-${n}-${i}.db`), ['--log-level', 'error'], { XUNJIAN_DATABASE_URL: pg.url }));
        results.push(await drive(`PostgreSQL, ${n} collector${n > 1 ? 's' : ''}`, collectors, tokens, () => postgresCpuMs(pg)));
      } finally {
        await Promise.all(collectors.map((c) => c.stop()));
      }
    } finally {
      pg.stop();
    }
  }
  rmSync(dir, { recursive: true, force: true });

  console.log('setup                         measurements/s    p50 ms   p99 ms   failed   CPU s per 10k measurements: collectors   PostgreSQL');
  for (const r of results) {
    console.log(
      `${r.setup.padEnd(28)} ${fmt(r.perS).padStart(15)}   ${r.p50.toFixed(1).padStart(7)}  ${r.p99.toFixed(1).padStart(7)}   ${String(r.failures).padStart(6)}   ${r.collectorCpuPer10k.toFixed(3).padStart(38)}   ${r.databaseCpuPer10k === null ? '—'.padStart(10) : r.databaseCpuPer10k.toFixed(3).padStart(10)}`,
    );
  }
  console.log('\nfloor (issue 13): PostgreSQL, 1 collector ≥ 20,000 measurements/s at p99 < 100 ms, no failures');
}

await main();
