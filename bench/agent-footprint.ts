/**
 * The running agent's steady-state footprint, beside Debian's prometheus-node-exporter, same
 * machine, same run:
 *   agent:          RSS (VmRSS, and peak VmHWM) and CPU time (utime+stime) per collection cycle,
 *                   all six checks, default sampling every 5 s, heartbeat, delivery to a real collector;
 *   node_exporter:  RSS and CPU time per /metrics scrape (default collectors), scraped every 15 s
 *                   (Prometheus' interval) during the agent's measured cycles — same window, same
 *                   load, a cold start per scrape as the agent has per cycle — and, as before, 30
 *                   scrapes back to back (warm caches: cheaper per scrape, shown beside).
 * The agent runs as the systemd unit runs it: the tree compiled by tsc with tsconfig.build.json
 * (what `npm run build` puts in dist/; here into node_modules/.cache so a build by someone else
 * is not disturbed), started with the unit's command — node, AGENT_NODE_FLAGS and
 * dist/bin/xunjian-agent.js (agent/install.ts `agentCommand`) — not under tsx, not bundled.
 *
 *   npx tsx bench/agent-footprint.ts [--cycles 4] [--cadence 30s] [--scrapes 30] [--scrape-every 15] [--warmup N]
 *   npx tsx bench/agent-footprint.ts --cadence 5m --cycles 2   the default cadence: CPU per hour
 * The warm-up defaults to the cycles of the agent's first 6 minutes (at least 2): V8 moves the
 * functions a cycle runs to baseline code as each one uses up its budget, and a function run once
 * a cycle takes minutes to get there (`--trace-baseline-batch-compilation` at a 30 s cadence: 20–30
 * functions a cycle in minutes 1–4, ~6 in minutes 6–8, ~1 after minute 10). What is measured is the
 * agent as it runs for months, not its first minutes.
 *   XJ_BENCH_NODE_FLAGS='--lite-mode' …   tries other V8 flags instead of the unit's
 *   XJ_BENCH_AGENT_STDOUT=FILE …          keeps the agent's stdout (what --trace-gc in those flags prints)
 * Floor: RSS ≤ 70 MB and CPU/cycle ≤ 2× node_exporter CPU/scrape; goal ≤ 55 MB and ≤ 1×.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { AGENT_NODE_FLAGS, agentCommand } from '../agent/install.js';
import { startTestCollector } from '../test/helpers/collector.js';
import { statFields } from './proc-cpu.js';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const { values } = parseArgs({
  options: {
    cycles: { type: 'string', default: '4' },
    cadence: { type: 'string', default: '30s' },
    scrapes: { type: 'string', default: '30' },
    'scrape-every': { type: 'string', default: '15' },
    warmup: { type: 'string' },
  },
});
const cycles = Number(values.cycles);
const cadence = values.cadence!;
const scrapes = Number(values.scrapes);
const scrapeEvery = Number(values['scrape-every']);
const cadenceMs = Number(/^(\d+)s$/.exec(cadence)?.[1] ?? NaN) * 1000 || Number(/^(\d+)m$/.exec(cadence)?.[1] ?? NaN) * 60_000;
if (!(cadenceMs > 0)) throw new Error(`--cadence ${cadence}: give seconds or minutes, such as 30s or 5m`);
const WARMUP_CYCLES = values.warmup === undefined ? Math.max(2, Math.ceil(360_000 / cadenceMs)) : Number(values.warmup);
const FLAGS_OVERRIDE = process.env.XJ_BENCH_NODE_FLAGS?.split(' ').filter(Boolean);
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim());

function cpuMs(pid: number): number {
  const f = statFields(`/proc/${pid}/stat`);
  return (f[11]! + f[12]!) * TICK_MS;
}

/** User and kernel CPU, minor page faults, and the main thread's sleeps so far (voluntary context switches: each is a wakeup to pay for). */
function cpuSplit(pid: number): { user: number; system: number; faults: number; switches: number } {
  const f = statFields(`/proc/${pid}/stat`);
  const switches = Number(/^voluntary_ctxt_switches:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN);
  return { user: f[11]! * TICK_MS, system: f[12]! * TICK_MS, faults: f[7]!, switches };
}

/** CPU of the commands the process ran and reaped (df, lsblk, smartctl, ipmitool, journalctl…). */
function childrenCpuMs(pid: number): number {
  const f = statFields(`/proc/${pid}/stat`);
  return (f[13]! + f[14]!) * TICK_MS;
}

/** CPU per thread kind (main thread, V8's GC and compiler workers, libuv's pool…), by thread name. */
function threadsCpuMs(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const name = Number(tid) === pid ? 'main thread' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replace(/\d+$/, '').trim();
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch {
      // the thread ended meanwhile
    }
  }
  return out;
}

function memory(pid: number): { rss: number; hwm: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM'), anon: kb('RssAnon'), file: kb('RssFile') };
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

/** What runs beside the agent's measured cycles: told when the window opens and closes. */
interface Window {
  open(): void;
  close(): void;
}

async function measureAgent(dir: string, beside: Window): Promise<{ command: string; perCycle: number; childrenPerCycle: number; rss: number; hwm: number; anon: number; file: number; cycles: number; collectMs: string[]; threads: string; split: string }> {
  // One directory per run: node_modules (and so .cache) may be shared by several checkouts, and
  // two runs at once must not build over each other's tree.
  const dist = join(ROOT, 'node_modules/.cache', `xunjian-bench-dist-${process.pid}`);
  rmSync(dist, { recursive: true, force: true });
  cleanups.push(() => rmSync(dist, { recursive: true, force: true }));
  // tsc emits even when another engineer's file has a type error; the agent's files are what count.
  spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'tsconfig.build.json'), '--outDir', dist], { stdio: 'inherit' });
  const [node, ...unitArgs] = agentCommand(join(dist, 'bin'));
  const args = FLAGS_OVERRIDE ? [...FLAGS_OVERRIDE, unitArgs[unitArgs.length - 1]!] : unitArgs;
  if (!args[args.length - 1]!.endsWith('.js')) throw new Error(`the build did not produce bin/xunjian-agent.js: ${args.join(' ')}`);
  const collector = await startTestCollector({}, {}, join(dir, 'collector'));
  const token = collector.token('agent', 'bench', 'bench-agent');
  const stateDir = join(dir, 'state');
  writeFileSync(
    join(dir, 'agent.yaml'),
    stringify({
      collector: { url: collector.url, token },
      site: 'bench',
      cadence,
      window: cadence,
      sampleEvery: '5s',
      heartbeat: '60s',
      spool: { dir: join(dir, 'spool') },
      stateDir,
    }),
  );
  // The agent logs at the unit's level (info): cycles are counted by the reports the collector stored.
  const env = { ...process.env };
  delete env.XUNJIAN_AGENT_LOG;
  const child = spawn(node!, [...args, 'agent', 'run', '--config', join(dir, 'agent.yaml')], { env, stdio: ['ignore', process.env.XJ_BENCH_AGENT_STDOUT ? openSync(process.env.XJ_BENCH_AGENT_STDOUT, 'w') : 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const stored = () => (collector.db.prepare('SELECT COUNT(*) AS n FROM reports').get() as { n: number }).n;
  const pid = child.pid!;
  try {
    const waitCycle = async (n: number) => {
      while (stored() < n) {
        if (child.exitCode !== null) throw new Error(`agent exited: ${log}`);
        await sleep(20);
      }
    };
    await waitCycle(WARMUP_CYCLES);
    beside.open();
    const cpu0 = cpuMs(pid);
    const split0 = cpuSplit(pid);
    const kids0 = childrenCpuMs(pid);
    const threads0 = threadsCpuMs(pid);
    await waitCycle(WARMUP_CYCLES + cycles);
    const cpu1 = cpuMs(pid);
    const split1 = cpuSplit(pid);
    beside.close();
    const per = (k: keyof typeof split0) => (split1[k] - split0[k]) / cycles;
    const split = `user ${per('user').toFixed(1)} ms, kernel ${per('system').toFixed(1)} ms; ${per('faults').toFixed(0)} minor page faults; the main thread slept and woke ${per('switches').toFixed(0)} times`;
    const kids1 = childrenCpuMs(pid);
    const threads = [...threadsCpuMs(pid)].map(([name, ms]) => `${name} ${((ms - (threads0.get(name) ?? 0)) / cycles).toFixed(1)}`).join(', ');
    const mem = memory(pid);
    const last = JSON.parse(readFileSync(join(stateDir, 'status.json'), 'utf8')).lastCollection as { durationMs: number; cpuMs: number } | undefined;
    const collectMs = last ? `${last.durationMs} ms wall, ${last.cpuMs} ms CPU in the agent process` : undefined;
    const delivered = (collector.db.prepare('SELECT COUNT(*) AS n FROM reports').get() as { n: number }).n;
    if (delivered < WARMUP_CYCLES + cycles - 1) throw new Error(`only ${delivered} reports reached the collector`);
    return { command: args.join(' '), perCycle: (cpu1 - cpu0) / cycles, childrenPerCycle: (kids1 - kids0) / cycles, ...mem, cycles, collectMs: collectMs === undefined ? [] : [collectMs], threads, split };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await collector.stop();
  }
}

/**
 * node_exporter measured twice. Back to back: `scrapes` scrapes in a row, caches warm (the figure
 * of earlier runs). Paced: scraped every `scrapeEvery` seconds (Prometheus' 15 s) during the agent's
 * measured cycles, so both pay a cold start per scrape or cycle and the same load, and its CPU
 * between scrapes (Go's runtime) counts as the agent's between cycles does.
 */
async function startNodeExporter(): Promise<{
  backToBack: { perScrape: number; bytes: number };
  paced: Window & { result(): { perScrape: number; scrapes: number } };
  memory(): ReturnType<typeof memory>;
  stop(): Promise<void>;
}> {
  const port = await freePort();
  const child = spawn('/usr/bin/prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const stop = async () => {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  };
  try {
    const url = `http://127.0.0.1:${port}/metrics`;
    let up = false;
    for (let i = 0; i < 100 && !up; i += 1) {
      up = await fetch(url).then((r) => r.ok, () => false);
      if (!up) await sleep(100);
    }
    if (!up) throw new Error('prometheus-node-exporter did not answer');
    for (let i = 0; i < 3; i += 1) await (await fetch(url)).text();
    const cpu0 = cpuMs(child.pid!);
    let bytes = 0;
    for (let i = 0; i < scrapes; i += 1) bytes = (await (await fetch(url)).text()).length;
    const backToBack = { perScrape: (cpuMs(child.pid!) - cpu0) / scrapes, bytes };
    let timer: NodeJS.Timeout | undefined;
    let count = 0;
    let start = 0;
    let used = NaN;
    const paced = {
      open() {
        start = cpuMs(child.pid!);
        const scrape = () => void fetch(url).then((r) => r.text()).then(() => (count += 1), () => undefined);
        scrape();
        timer = setInterval(scrape, scrapeEvery * 1000);
      },
      close() {
        clearInterval(timer);
        used = cpuMs(child.pid!) - start;
      },
      result: () => ({ perScrape: used / count, scrapes: count }),
    };
    return { backToBack, paced, memory: () => memory(child.pid!), stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

const cleanups: (() => void)[] = [];
const dir = mkdtempSync(join(tmpdir(), 'xj-agent-bench-'));
try {
  const exporter = await startNodeExporter();
  cleanups.push(() => void exporter.stop());
  const ours = await measureAgent(dir, exporter.paced);
  const paced = exporter.paced.result();
  const theirs = { ...exporter.backToBack, ...exporter.memory() };
  await exporter.stop();
  const ratio = ours.perCycle / paced.perScrape;
  const warmRatio = ours.perCycle / theirs.perScrape;
  console.log(`\nagent footprint vs prometheus-node-exporter (${ours.cycles} cycles of ${cadence} after ${WARMUP_CYCLES} warm-up; node_exporter scraped every ${scrapeEvery} s meanwhile (${paced.scrapes} scrapes), and ${scrapes} scrapes back to back)\n`);
  console.log('| | CPU time | memory |');
  console.log('|---|---|---|');
  console.log(`| xunjian agent (node ${process.version}), per cycle | ${ours.perCycle.toFixed(1)} ms | RSS ${mb(ours.rss)}, peak ${mb(ours.hwm)} |`);
  console.log(`| commands the agent ran (smartctl, systemctl, journalctl…), per cycle | ${ours.childrenPerCycle.toFixed(1)} ms | (separate processes) |`);
  console.log(`| prometheus-node-exporter, per scrape, scraped every ${scrapeEvery} s beside the agent | ${paced.perScrape.toFixed(1)} ms | RSS ${mb(theirs.rss)}, peak ${mb(theirs.hwm)} |`);
  console.log(`| prometheus-node-exporter, per scrape, ${scrapes} back to back (warm) | ${theirs.perScrape.toFixed(1)} ms | |`);
  console.log(`\nCPU ratio agent/node_exporter (paced, same window): ${ratio.toFixed(2)}× the agent process, ${((ours.perCycle + ours.childrenPerCycle) / paced.perScrape).toFixed(2)}× with its commands  (floor ≤ 2×, goal ≤ 1×)`);
  console.log(`CPU ratio agent/node_exporter (back-to-back scrapes): ${warmRatio.toFixed(2)}×`);
  const hourMs = 3_600_000;
  console.log(
    `CPU per hour: agent at a ${cadence} cadence ${((ours.perCycle * hourMs) / cadenceMs / 1000).toFixed(2)} s; node_exporter scraped every 15 s ${((paced.perScrape * hourMs) / 15_000 / 1000).toFixed(2)} s (measured paced), ${((theirs.perScrape * hourMs) / 15_000 / 1000).toFixed(2)} s (back-to-back figure)`,
  );
  console.log(`agent RSS: ${mb(ours.rss)}  (floor ≤ 70 MB, goal ≤ 55 MB): anonymous ${mb(ours.anon)} (heaps, code), file-backed ${mb(ours.file)} (the node binary's pages in use)`);
  console.log(`agent command: node ${ours.command} agent run  (unit flags: ${AGENT_NODE_FLAGS.join(' ')})`);
  console.log(`agent CPU per cycle by thread (ms): ${ours.threads}`);
  console.log(`agent per cycle: ${ours.split}`);
  console.log(`last collection: ${ours.collectMs[0] ?? '?'}; node_exporter served ${(theirs.bytes / 1024).toFixed(0)} KiB per scrape; CPU clock tick ${TICK_MS} ms.`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  for (const clean of cleanups) clean();
}
