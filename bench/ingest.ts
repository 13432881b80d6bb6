/**
 * bench/ingest — sustained ingest of realistic agent reports (60 measurements each) by N
 * concurrent clients over loopback into a real collector process, beside the raw
 * better-sqlite3 batched-insert ceiling of this machine measured in the same run.
 *
 *   npx tsx bench/ingest.ts [--clients 16] [--seconds 15] [--durability full|normal] [--profile DIR]
 *
 * --profile writes the collector's V8 CPU profile (.cpuprofile) into DIR.
 *
 * Baseline (issue 3): floor 20,000 measurements/s at p99 < 100 ms on 2 cores; goal 100,000.
 */
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MIGRATIONS, openDatabase } from '../collector/index.js';
import { createToken, realisticReport, spawnCollector, tempDir } from '../test/helpers/collector.js';

const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '15' },
    durability: { type: 'string', default: 'full' },
    profile: { type: 'string' },
  },
});
const CLIENTS = Number(args.clients);
const SECONDS = Number(args.seconds);
const DURABILITY = args.durability === 'normal' ? 'normal' : 'full';
const WARMUP_S = 2;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function rssOf(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

/** The ceiling: the same measurement rows inserted straight into the same schema. */
function rawCeiling(dir: string) {
  const report = realisticReport();
  const rows = report.measurements;
  const out: { label: string; perS: number }[] = [];
  for (const [label, perTx, sync] of [
    ['raw insert, 1 transaction per 60 rows, synchronous=FULL', 60, 'full'],
    ['raw insert, 1 transaction per 60 rows, synchronous=NORMAL', 60, 'normal'],
    ['raw insert, 1 transaction per 60,000 rows', 60_000, 'normal'],
  ] as const) {
    const path = join(dir, `raw-${perTx}-${sync}.db`);
    const db = openDatabase(path, { durability: sync });
    db.prepare("INSERT INTO sites (name, created_at) VALUES ('bench', 0)").run();
    db.prepare("INSERT INTO devices (site_id, hostname, kind, first_seen) VALUES (1, 'db01', 'server', 0)").run();
    const insertReport = db.prepare(
      "INSERT INTO reports (report_id, device_id, source, window_start, window_end, received_at, measurement_count, identity, gaps) VALUES (?, 1, 'agent', 0, 0, 0, 60, '{}', '[]') RETURNING id",
    );
    const insert = db.prepare('INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const at = Date.parse(rows[0]!.at);
    const batch = db.transaction((n: number, base: number) => {
      for (let r = 0; r < n / 60; r++) {
        const { id } = insertReport.get(`raw-${base}-${r}`) as { id: number };
        for (let i = 0; i < rows.length; i++) {
          const m = rows[i]!;
          const value = typeof m.value === 'boolean' ? Number(m.value) : m.value;
          insert.run(id, i, m.check, m.component, m.metric, value, m.unit ?? null, m.status ?? null, m.command, at, m.kind ? JSON.stringify({ kind: m.kind, limits: m.limits }) : null);
        }
      }
    });
    const started = performance.now();
    let done = 0;
    for (let b = 0; performance.now() - started < 3000; b++) {
      batch(perTx, b);
      done += perTx;
    }
    out.push({ label, perS: (done / (performance.now() - started)) * 1000 });
    db.close();
  }
  return out;
}

async function main() {
  const dir = tempDir('xunjian-bench-');
  const cpus = (await import('node:os')).cpus();
  console.log(`bench/ingest — ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, node ${process.version}, ${CLIENTS} clients, ${SECONDS} s, durability=${DURABILITY}`);
  console.log(`schema version ${MIGRATIONS[MIGRATIONS.length - 1]!.version}\n`);

  const ceiling = rawCeiling(dir);

  const dbPath = join(dir, 'xunjian.db');
  const token = createToken(dbPath, 'agent', 'bench');
  const nodeArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : [];
  const collector = await spawnCollector(dbPath, ['--durability', DURABILITY, '--log-level', 'error'], {}, nodeArgs);
  const url = new URL(collector.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const template = JSON.stringify(realisticReport({ id: 'bench-ID-PLACEHOLDER' }));
  const perReport = realisticReport().measurements.length;

  const post = (id: string) =>
    new Promise<number>((resolve, reject) => {
      const body = template.replace('bench-ID-PLACEHOLDER', id);
      const req = http.request(
        { host: url.hostname, port: url.port, path: '/api/v1/reports', method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` } },
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
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, rssOf(collector.child.pid!))), 250);

  const client = async (n: number) => {
    for (let i = 0; !stop; i++) {
      const started = performance.now();
      const status = await post(`bench-${n}-${i}`);
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
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const elapsed = (performance.now() - started) / 1000;
  stop = true;
  await Promise.all(running);
  clearInterval(rssTimer);
  agent.destroy();
  await collector.stop();
  rmSync(dir, { recursive: true, force: true });

  latencies.sort((a, b) => a - b);
  const mps = (reports * perReport) / elapsed;
  const p50 = pct(latencies, 50);
  const p99 = pct(latencies, 99);
  console.log('raw better-sqlite3 ceiling (same schema, same rows):');
  for (const c of ceiling) console.log(`  ${c.label.padEnd(60)} ${fmt(c.perS).padStart(12)} measurements/s`);
  console.log('\ncollector over HTTP (auth, JSON parse, schema validation, six-check evaluation, storage; group commit, one savepoint per report):');
  console.log(`  reports/s                 ${fmt(reports / elapsed).padStart(12)}`);
  console.log(`  measurements/s            ${fmt(mps).padStart(12)}   (floor 20,000 · goal 100,000)`);
  console.log(`  latency p50 / p99         ${p50.toFixed(1).padStart(8)} / ${p99.toFixed(1)} ms   (floor: p99 < 100 ms)`);
  console.log(`  collector peak RSS        ${(peakRss / 1024 / 1024).toFixed(0).padStart(12)} MiB`);
  console.log(`  non-201 answers           ${String(failures).padStart(12)}`);
  console.log(`\nverdict: ${mps >= 20_000 && p99 < 100 ? 'meets the floor' : 'BELOW the floor'}${mps >= 100_000 ? ' and the goal' : ''}`);
}

await main();
