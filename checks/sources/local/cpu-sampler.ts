import { closeSync, openSync, readSync } from 'node:fs';
import { busyPercent, readCpuCounters, round1, type CpuCounters } from '../parsers/index.js';

/** The aggregate "cpu " line is first and short (ten counters); the per-core lines after it are not needed. */
const FIRST_LINE_BYTES = 512;

/** CPU busy % over a window: what SXKR-001 needs, gathered cheaply between collections. */
export interface CpuSummary {
  avg: number;
  max: number;
  /** /proc/stat readings taken (intervals = samples − 1). */
  samples: number;
  /** ISO time of the first reading: the start of the window. */
  since: string;
}

export interface CpuSampler {
  /** Reads /proc/stat once (a few microseconds of work). */
  sample(): Promise<void>;
  /** Average over the whole window and busiest interval; undefined before two samples. */
  summary(): CpuSummary | undefined;
  /** Starts a new window from the last sample (the agent calls it after each report). */
  reset(): void;
  /** Closes the held descriptor (the next sample opens it again). */
  close(): void;
}

/**
 * Reads the first line of a /proc file through one descriptor held open: a read at offset 0
 * makes the kernel regenerate a seq_file's content (fs/seq_file.c resets to the first record when
 * asked for position 0), so every reading is current — without the open, fstat, read and close
 * (and their promises) that readFile costs each time. /proc reads never wait on a disk, so a
 * synchronous pread of a few hundred bytes blocks nothing. Any error closes the descriptor and
 * the next reading opens it afresh.
 */
function firstLineReader(path: string) {
  const buf = Buffer.allocUnsafe(FIRST_LINE_BYTES);
  let fd: number | undefined;
  return {
    read(): string {
      try {
        fd ??= openSync(path, 'r');
        const n = readSync(fd, buf, 0, buf.length, 0);
        const end = buf.indexOf(10);
        return buf.toString('latin1', 0, end >= 0 && end < n ? end : n);
      } catch (e) {
        this.close();
        throw e;
      }
    },
    close(): void {
      if (fd === undefined) return;
      try {
        closeSync(fd);
      } catch {
        // already gone
      }
      fd = undefined;
    },
  };
}

/**
 * Keeps only the first, previous and latest counters and the running maximum, so a 5-minute
 * window sampled every few seconds costs constant memory.
 */
export function createCpuSampler(opts: { statPath?: string; now?: () => Date } = {}): CpuSampler {
  const statPath = opts.statPath ?? '/proc/stat';
  const stat = firstLineReader(statPath);
  const now = opts.now ?? (() => new Date());
  let first: { counters: CpuCounters; at: Date } | undefined;
  let last: CpuCounters | undefined;
  let max = 0;
  let samples = 0;
  return {
    async sample() {
      const counters = readCpuCounters(stat.read())[0];
      if (!counters) throw new Error(`no aggregate cpu line in ${statPath}`);
      if (!first) first = { counters, at: now() };
      if (last) {
        const p = busyPercent(last, counters);
        if (p !== undefined) max = Math.max(max, p);
      }
      last = counters;
      samples++;
    },
    summary() {
      if (!first || !last || samples < 2) return undefined;
      const avg = busyPercent(first.counters, last);
      if (avg === undefined) return undefined;
      return { avg: round1(avg), max: round1(Math.max(max, avg)), samples, since: first.at.toISOString() };
    },
    reset() {
      if (!last) return;
      first = { counters: last, at: now() };
      max = 0;
      samples = 1;
    },
    close: () => stat.close(),
  };
}
