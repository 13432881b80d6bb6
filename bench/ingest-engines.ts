/**
 * bench/ingest-engines — the collector's ingest pipeline (createBatchedIngest: group commit, one
 * savepoint per report, evaluation of the six checks, reports, measurements, results and the
 * tickets hook) on SQLite and on PostgreSQL, side by side in one run on this machine.
 *
 *   npx tsx bench/ingest-engines.ts [--seconds 10] [--clients 16] [--pipelines 1|2|3] [--engines sqlite,postgres]
 *
 * `--pipelines N` runs N ingest pipelines on one database, each with its own store (its own
 * connection pool on PostgreSQL) — what N collectors do, but in one process, so they share this
 * process's event loop; the HTTP path (auth, JSON, validation) is bench/ingest's. PostgreSQL is
 * Debian's PostgreSQL 15 started for the run in a temporary directory (fsync on, as shipped).
 *
 * Beside each rate: the CPU each part spent per 10,000 measurements — this process
 * (process.cpuUsage) and PostgreSQL (utime+stime of every process of the cluster, /proc) — since on
 * 2 cores the database and the collector share the CPU and a wall-clock rate alone hides who paid.
 *
 * Floor (issue 13): PostgreSQL with one collector ≥ 20,000 measurements/s at p99 < 100 ms, no errors.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createBatchedIngest } from '../collector/ingest/ingest.js';
import { createRepositories } from '../collector/repositories/index.js';
import { openStore } from '../collector/storage/open-store.js';
import type { Store } from '../collector/storage/store.js';
import { TicketsIngestHook } from '../collector/tickets/hook.js';
import { realisticReport, tempDir } from '../test/helpers/collector.js';
import { postgresMissing, startPostgres } from '../test/helpers/postgres.js';
import { postgresCpuMs } from './proc-cpu.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    clients: { type: 'string', default: '16' },
    pipelines: { type: 'string', default: '1' },
    engines: { type: 'string', default: 'sqlite,postgres' },
  },
});
const SECONDS = Number(args.seconds);
const CLIENTS = Number(args.clients);
const PIPELINES = Number(args.pipelines);
const ENGINES = args.engines.split(',');
const DEVICES = 500;
const PER_REPORT = realisticReport().measurements.length;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

interface Figures {
  label: string;
  reports: number;
  errors: number;
  seconds: number;
  latencies: number[];
  selfCpuMs: number;
  dbCpuMs: number | null;
}

async function run(label: string, stores: Store[], dbCpu: (() => number) | null): Promise<Figures> {
  const pipelines = await Promise.all(
    stores.map(async (store) => {
      const repos = createRepositories(store);
      const { row } = await repos.tokens.create({ name: `bench-${Math.random().toString(36).slice(2)}`, role: 'engineer', site: 'bench' });
      return {
        ingest: createBatchedIngest(store, repos, { hooks: [new TicketsIngestHook(store, repos)] }),
        principal: { tokenId: row.id, name: row.name, role: 'engineer' as const, site: 'bench' },
      };
    }),
  );
  let seq = 0;
  let stopAt = 0;
  let measuring = false;
  const latencies: number[] = [];
  let reports = 0;
  let errors = 0;
  const client = async (c: number) => {
    while (Date.now() < stopAt) {
      const n = seq++;
      const pipeline = pipelines[n % pipelines.length]!;
      const at = new Date(Date.UTC(2026, 10, 1) + n * 1000);
      const report = { ...realisticReport({ hostname: `srv${String((n * 7 + c) % DEVICES).padStart(4, '0')}`, at, site: 'bench', cpuAvg: 20 + (n % 30), psuFault: n % 211 === 0 }), id: `bench-${label}-${n}` };
      const t0 = performance.now();
      try {
        await pipeline.ingest(report, pipeline.principal, at);
        if (measuring) {
          latencies.push(performance.now() - t0);
          reports++;
        }
      } catch (error) {
        if (measuring) errors++;
        if (errors === 1) console.error(`${label}: ${(error as Error).message}`);
      }
    }
  };
  // Warm-up: devices registered, statements prepared, pools filled.
  stopAt = Date.now() + 2000;
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  measuring = true;
  const cpu0 = process.cpuUsage();
  const db0 = dbCpu?.() ?? 0;
  const t0 = performance.now();
  stopAt = Date.now() + SECONDS * 1000;
  await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return {
    label,
    reports,
    errors,
    seconds,
    latencies: latencies.sort((a, b) => a - b),
    selfCpuMs: (cpu.user + cpu.system) / 1000,
    dbCpuMs: dbCpu ? dbCpu() - db0 : null,
  };
}

function print(f: Figures): void {
  const measurements = f.reports * PER_REPORT;
  const per10k = (ms: number) => `${fmt((ms / measurements) * 10_000)} ms`;
  console.log(`\n${f.label}`);
  console.log(`  reports/s                  ${fmt(f.reports / f.seconds)}`);
  console.log(`  measurements/s             ${fmt(measurements / f.seconds)}   (floor 20,000)`);
  console.log(`  latency p50 / p99          ${pct(f.latencies, 50).toFixed(1)} / ${pct(f.latencies, 99).toFixed(1)} ms   (floor: p99 < 100 ms)`);
  console.log(`  CPU per 10,000 measurements: ingest process ${per10k(f.selfCpuMs)}${f.dbCpuMs !== null ? `, PostgreSQL ${per10k(f.dbCpuMs)}` : ' (SQLite runs inside it)'}`);
  console.log(`  errors                     ${f.errors}`);
}

console.log(`ingest pipeline, ${CLIENTS} concurrent submitters, ${PIPELINES} pipeline(s), ${SECONDS} s, ${PER_REPORT} measurements per report, ${DEVICES} devices`);

if (ENGINES.includes('sqlite')) {
  const dir = tempDir();
  const stores = [await openStore(join(dir, 'bench.db'), { durability: 'full' })];
  // One SQLite file has one writer: every pipeline shares its one connection.
  print(await run(`SQLite (file, synchronous=FULL, ${PIPELINES > 1 ? 'one connection: pipelines share it' : '1 pipeline'})`, Array.from({ length: PIPELINES }, () => stores[0]!), null));
  await stores[0]!.close();
  rmSync(dir, { recursive: true, force: true });
}

if (ENGINES.includes('postgres')) {
  const missing = postgresMissing();
  if (missing) {
    console.log(`\nPostgreSQL: not measured — ${missing}`);
  } else {
    const server = await startPostgres();
    try {
      const stores: Store[] = [];
      for (let i = 0; i < PIPELINES; i++) stores.push(await openStore(server.url));
      print(await run(`PostgreSQL 15 (fsync on, ${PIPELINES} pipeline(s), pool of 10 each)`, stores, () => postgresCpuMs(server)));
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      server.stop();
    }
  }
}
