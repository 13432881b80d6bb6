import { readFile } from 'node:fs/promises';
import { busyPercent, readCpuCounters, round1, type CpuCounters } from '../parsers/index.js';

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
}

/**
 * Keeps only the first, previous and latest counters and the running maximum, so a 5-minute
 * window sampled every few seconds costs constant memory.
 */
export function createCpuSampler(opts: { statPath?: string; now?: () => Date } = {}): CpuSampler {
  const statPath = opts.statPath ?? '/proc/stat';
  const now = opts.now ?? (() => new Date());
  let first: { counters: CpuCounters; at: Date } | undefined;
  let last: CpuCounters | undefined;
  let max = 0;
  let samples = 0;
  return {
    async sample() {
      const text = await readFile(statPath, 'utf8');
      const counters = readCpuCounters(text)[0];
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
  };
}
