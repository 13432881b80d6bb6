/**
 * bench/poller-schedule — what the pollers' schedule costs each second it reads the targets due
 * (PollQueue.dueTargets → the repository's `due(now)`), beside the baseline it replaced: every
 * target's row read (`SnmpTargetsRepository.all()`, sealed secrets included) and filtered in
 * JavaScript. On SQLite and on PostgreSQL in one run; every collector of a cluster reads once a second.
 *
 *   npx tsx bench/poller-schedule.ts [--targets 5000] [--readings 200] [--engines sqlite,postgres]
 *
 * Targets have a 300 s interval and last polls spread over the last 300 s, so about 1 in 300 is due
 * on a given second, as in a steady state. Figures are CPU time — this process (process.cpuUsage)
 * and PostgreSQL's processes (/proc) — not wall time, which the other work on this 2-core machine
 * distorts. Each way runs in its own block of readings, ours first (see measure()).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CredentialBox } from '../collector/poller/crypto.js';
import { SnmpTargetsRepository } from '../collector/poller/repository.js';
import { openStore } from '../collector/storage/open-store.js';
import type { Store } from '../collector/storage/store.js';
import { tempDir } from '../test/helpers/collector.js';
import { postgresMissing, startPostgres } from '../test/helpers/postgres.js';
import { postgresCpuMs } from './proc-cpu.js';

const { values: args } = parseArgs({
  options: {
    targets: { type: 'string', default: '5000' },
    readings: { type: 'string', default: '200' },
    engines: { type: 'string', default: 'sqlite,postgres' },
  },
});
const TARGETS = Number(args.targets);
const READINGS = Number(args.readings);
const INTERVAL_S = 300;
const NOW = Date.UTC(2026, 11, 1);

type Way = 'baseline: all() + JS filter' | 'ours: due(now)';

async function fill(store: Store): Promise<SnmpTargetsRepository> {
  const targets = new SnmpTargetsRepository(store, new CredentialBox(randomBytes(32)));
  await store.transaction(async () => {
    for (let i = 0; i < TARGETS; i++) {
      const t = await targets.create('bench', { host: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: 161, version: '2c', community: 'c0mmunity', timeoutMs: 2000, retries: 1, intervalS: INTERVAL_S }, null, NOW);
      // Polled within the last interval, one second apart: 1 in 300 due now.
      await targets.recordPoll(t.id, { at: NOW - INTERVAL_S * 1000 + (i % INTERVAL_S) * 1000, result: 'ok' });
    }
  });
  return targets;
}

async function read(targets: SnmpTargetsRepository, way: Way): Promise<number[]> {
  if (way === 'ours: due(now)') return (await targets.due(NOW)).map((t) => t.id);
  // The schedule before: every row, then the queue's own test of each.
  return (await targets.all()).filter((t) => t.lastPollAt === null || NOW - t.lastPollAt >= t.intervalS * 1000).map((t) => t.id);
}

async function measure(label: string, store: Store, serverCpu: () => number): Promise<void> {
  const targets = await fill(store);
  const ways: Way[] = ['baseline: all() + JS filter', 'ours: due(now)'];
  const [a, b] = [await read(targets, ways[0]!), await read(targets, ways[1]!)];
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`the two readings differ: ${a.length} vs ${b.length} targets due`);
  const cpu = new Map(ways.map((w) => [w, { own: 0, server: 0 }]));
  // Ours first, in its own block: read after the baseline, it would be charged the collection of
  // the baseline's thousands of garbage rows (8.2 instead of 0.5 ms a reading on PostgreSQL).
  for (const way of [...ways].reverse()) {
    for (let i = 0; i < READINGS; i++) {
      const server0 = serverCpu(); // read before our own clock starts: reading /proc is not the schedule's cost
      const own0 = process.cpuUsage();
      await read(targets, way);
      const own = process.cpuUsage(own0);
      const c = cpu.get(way)!;
      c.own += (own.user + own.system) / 1000;
      c.server += serverCpu() - server0;
    }
  }
  console.log(`\n${label}: ${TARGETS.toLocaleString('en-US')} targets, ${a.length} due per reading, ${READINGS} readings each`);
  for (const way of ways) {
    const c = cpu.get(way)!;
    const per = (ms: number) => (ms / READINGS).toFixed(3);
    const day = ((c.own + c.server) / READINGS) * 86_400 / 1000;
    console.log(`  ${way.padEnd(28)} collector CPU ${per(c.own)} ms/reading · database CPU ${per(c.server)} ms/reading · at one reading a second ${day.toFixed(0)} CPU-s/day`);
  }
}

const dir = tempDir('xunjian-bench-schedule-');
try {
  if (args.engines.includes('sqlite')) {
    const store = await openStore(join(dir, 'bench.db'));
    try {
      await measure('SQLite (in process: its CPU is the collector’s)', store, () => 0);
    } finally {
      await store.close();
    }
  }
  if (args.engines.includes('postgres')) {
    const missing = postgresMissing();
    if (missing) console.log(`\nPostgreSQL skipped: ${missing}`);
    else {
      const server = await startPostgres();
      const store = await openStore(server.url);
      try {
        await measure('PostgreSQL 15', store, () => postgresCpuMs(server));
      } finally {
        await store.close();
        server.stop();
      }
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
