/**
 * CPU time of other processes, from /proc: on this 2-core machine the database and the collector
 * share the CPU, so a wall-clock figure alone hides who paid. Used by the benches beside PostgreSQL.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TestPostgres } from '../test/helpers/postgres.js';

const TICK_MS = 10; // CLK_TCK is 100 on Linux

/** The fields of a /proc stat file after the ")" of comm: state is [0], ppid [1], minflt [7], utime [11], stime [12], cutime [13], cstime [14]. */
export function statFields(path: string): number[] {
  const stat = readFileSync(path, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
}

/** utime + stime of one process, or of one of its threads, in ms. */
export function cpuMsOf(pid: number, thread?: number): number {
  try {
    const f = statFields(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`);
    return (f[11]! + f[12]!) * TICK_MS;
  } catch {
    return 0; // a backend that ended between the listing and the read
  }
}

/** CPU of every process of the cluster: the postmaster and its children (backends, walwriter, checkpointer…). */
export function postgresCpuMs(server: TestPostgres): number {
  const postmaster = Number(readFileSync(join(server.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let total = cpuMsOf(postmaster);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) total += cpuMsOf(Number(entry));
    } catch {
      // gone
    }
  }
  return total;
}

/** CPU of this process by thread name (/proc/self/task/*: main, V8's compiler and GC helpers, libuv's pool…), in ms. */
export function threadCpuMs(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = Number(tid) === process.pid ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(name, (out.get(name) ?? 0) + (Number(f[11]) + Number(f[12])) * TICK_MS);
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return out;
}

/** What each thread used between two threadCpuMs() readings, largest first, as "name 120 ms, …". */
export function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): string {
  return [...after]
    .map(([name, ms]) => [name, ms - (before.get(name) ?? 0)] as const)
    .filter(([, ms]) => ms > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms} ms`)
    .join(', ');
}
