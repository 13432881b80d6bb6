/**
 * What printing times local costs: `formatTime(t, zone)` (Intl, the site's zone, with the offset)
 * beside the UTC formatting it replaced (`toISOString().slice(0, 16)`), and `monthOf` likewise.
 * CPU time (process.cpuUsage), not wall time: the machine is shared.
 *
 *   npx tsx bench/local-time.ts [--n 200000]
 */
import { formatLocalTime, localMonth } from '../checks/index.js';

const arg = process.argv.indexOf('--n');
const n = arg > 0 ? Number(process.argv[arg + 1]) : 200_000;
const start = Date.parse('2026-01-01T00:00:00Z');
const times = Array.from({ length: n }, (_, i) => start + i * 157_000);

function cpuNsPerCall(label: string, fn: (t: number) => string): void {
  let sink = 0;
  for (const t of times.slice(0, 2000)) sink += fn(t).length; // warm-up
  const before = process.cpuUsage();
  for (const t of times) sink += fn(t).length;
  const used = process.cpuUsage(before);
  const ns = ((used.user + used.system) * 1000) / n;
  console.log(`${label.padEnd(52)} ${ns.toFixed(0).padStart(6)} ns CPU/call  (${n} calls, ${sink > 0 ? 'ok' : '-'})`);
}

cpuNsPerCall('baseline: toISOString().slice(0,16) + " UTC"', (t) => `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`);
cpuNsPerCall('formatLocalTime(t, "Asia/Shanghai")', (t) => formatLocalTime(t, 'Asia/Shanghai'));
cpuNsPerCall('formatLocalTime(t, "Europe/London")', (t) => formatLocalTime(t, 'Europe/London'));
cpuNsPerCall('baseline: toISOString().slice(0,7) (UTC month)', (t) => new Date(t).toISOString().slice(0, 7));
cpuNsPerCall('localMonth(t, "Asia/Shanghai")', (t) => localMonth(t, 'Asia/Shanghai'));
