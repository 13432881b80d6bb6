/**
 * One full local collection's cost, beside prometheus-node-exporter's cost per scrape, measured
 * on the same machine in the same run.
 *
 *   npx tsx bench/local-inspect.ts [runs=3] [scrapes=20]
 *
 * Ours: CPU time of this process (process.cpuUsage) plus the CPU time of the commands it ran
 * (df, lsblk, smartctl, systemctl, journalctl… — cutime+cstime of this process in
 * /proc/self/stat), and this process's peak RSS. The CPU window itself is idle waiting and costs
 * nothing; it is set to 1 s here. A second figure is the agent's cycle, which caches the identity
 * (systeminformation spawns dmidecode and friends for it) between collections.
 * Baseline: Debian's /usr/bin/prometheus-node-exporter (default collectors) on 127.0.0.1 and a
 * free port, scraped `scrapes` times; utime+stime from /proc/PID/stat before and after, RSS
 * (VmRSS, VmHWM) from /proc/PID/status.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { collectLocal, localIdentity } from '../checks/sources/local/index.js';

const runs = Number(process.argv[2] ?? 3);
const scrapes = Number(process.argv[3] ?? 20);
const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim() || '100');

/** utime, stime, cutime, cstime of a process, in ms. Fields after the `(comm)` are space-separated. */
function procTimes(pid: number | 'self') {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // f[0] is field 3 (state): utime = field 14 → f[11], stime f[12], cutime f[13], cstime f[14]
  return { utime: f[11]! * TICK_MS, stime: f[12]! * TICK_MS, cutime: f[13]! * TICK_MS, cstime: f[14]! * TICK_MS };
}

function procStatusKb(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function ours() {
  const rssBefore = procStatusKb('self', 'VmRSS');
  const cpu: number[] = [];
  const children: number[] = [];
  const wall: number[] = [];
  let measurements = 0;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const p0 = procTimes('self');
    const t0 = performance.now();
    const r = await collectLocal({ windowMs: 1000 });
    wall.push(performance.now() - t0);
    const c1 = process.cpuUsage(c0);
    const p1 = procTimes('self');
    cpu.push((c1.user + c1.system) / 1000);
    children.push(p1.cutime + p1.cstime - (p0.cutime + p0.cstime));
    measurements = r.report.measurements.length;
  }
  return { cpu, children, wall, rssBefore, peakRss: process.resourceUsage().maxRSS, measurements };
}

/** The agent's cycle: identity cached between collections (systeminformation's probes are most of a cold collection). */
async function agentCycle() {
  const identity = await localIdentity();
  await collectLocal({ windowMs: 1000, identity }); // a virtual disk's smartctl answer is remembered from here on
  const c0 = process.cpuUsage();
  const p0 = procTimes('self');
  for (let i = 0; i < runs; i++) await collectLocal({ windowMs: 1000, identity });
  const c1 = process.cpuUsage(c0);
  const p1 = procTimes('self');
  return { cpu: (c1.user + c1.system) / 1000 / runs, children: (p1.cutime + p1.cstime - (p0.cutime + p0.cstime)) / runs };
}

async function nodeExporter() {
  const port = await freePort();
  const child = spawn('/usr/bin/prometheus-node-exporter', [`--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}/metrics`;
  try {
    let up = false;
    for (let i = 0; i < 100 && !up; i++) {
      try {
        up = (await fetch(url)).ok; // the first scrape also warms it up
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    if (!up) throw new Error('prometheus-node-exporter did not answer');
    const pid = child.pid!;
    const before = procTimes(pid);
    let bytes = 0;
    for (let i = 0; i < scrapes; i++) bytes += (await (await fetch(url)).text()).length;
    const after = procTimes(pid);
    const cpuMs = after.utime + after.stime - (before.utime + before.stime);
    return { perScrape: cpuMs / scrapes, rss: procStatusKb(pid, 'VmRSS'), hwm: procStatusKb(pid, 'VmHWM'), bytes: bytes / scrapes };
  } finally {
    child.kill('SIGTERM');
  }
}

const avg = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
const mine = await ours();
const cached = await agentCycle();
const theirs = await nodeExporter();
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;

console.log(`\nlocal inspection vs prometheus-node-exporter on ${process.platform} (${runs} collections, ${scrapes} scrapes)\n`);
console.log('| what | CPU time | memory |');
console.log('|---|---|---|');
console.log(`| xunjian collectLocal, per collection (this process) | ${avg(mine.cpu).toFixed(1)} ms | peak RSS ${mb(mine.peakRss)} (${mb(mine.rssBefore)} before the first collection) |`);
console.log(`| xunjian collectLocal, per collection (commands it ran) | ${avg(mine.children).toFixed(1)} ms | — |`);
console.log(`| xunjian agent cycle, identity cached (this process + commands) | ${cached.cpu.toFixed(1)} + ${cached.children.toFixed(1)} ms | — |`);
console.log(`| prometheus-node-exporter, per scrape | ${theirs.perScrape.toFixed(1)} ms | RSS ${mb(theirs.rss)}, peak ${mb(theirs.hwm)} |`);
console.log(
  `\nours: ${mine.measurements} measurements per collection, wall ${avg(mine.wall).toFixed(0)} ms incl. the 1 s CPU window; ` +
    `node-exporter: ${(theirs.bytes / 1024).toFixed(0)} KiB of metrics per scrape. CPU clock tick ${TICK_MS} ms.`,
);
