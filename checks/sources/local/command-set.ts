import { randomUUID } from 'node:crypto';
import type { DeviceIdentity, Report } from '../../../schemas/index.js';
import { measurement } from '../parsers/index.js';
import { runCommandSet, type DetectedOs } from '../commands/command-set.js';
import type { Executor } from '../commands/executor.js';
import type { CpuSummary } from './cpu-sampler.js';

/** The OS this process runs on, as the command sets name it (anything else reads as Linux). */
export function platformOs(platform: NodeJS.Platform = process.platform): DetectedOs {
  return platform === 'aix' ? 'aix' : platform === 'win32' ? 'windows' : 'linux';
}

export interface CommandSetRun {
  os: DetectedOs;
  executor: Executor;
  windowMs: number;
  logSince: Date;
  requiredServices: string[];
  now: () => Date;
  cpu?: CpuSummary;
  identity: Promise<DeviceIdentity>;
  producer: string;
}

/**
 * This host inspected with its OS's command set — the same commands and parsers the poller runs
 * over SSH (AIX: vmstat, svmon, lsvg, errpt…; Windows: the PowerShell queries) — through this
 * host's shell. What the host's own identity lacks, the command set's identity fills in.
 */
export async function collectThroughCommandSet(r: CommandSetRun): Promise<Report> {
  const started = r.now();
  const collection = await runCommandSet(r.os, r.executor, { windowMs: r.windowMs, logSince: r.logSince, requiredServices: r.requiredServices, clock: r.now });
  let { measurements, gaps } = collection;
  if (r.cpu) {
    // The agent sampled CPU between collections: its summary replaces the window's reading.
    measurements = measurements.filter((m) => m.check !== 'SXKR-001');
    gaps = gaps.filter((g) => g.check !== 'SXKR-001');
    const ctx = { command: 'CPU (sampled by the agent)', at: started.toISOString() };
    const detail = `${r.cpu.samples} readings since ${r.cpu.since}`;
    measurements.push(
      measurement(ctx, 'SXKR-001', 'CPU', 'cpu.avg', r.cpu.avg, { unit: '%', detail }),
      measurement(ctx, 'SXKR-001', 'CPU', 'cpu.max', r.cpu.max, { unit: '%', detail }),
    );
  }
  const identity: DeviceIdentity = { ...(await r.identity) };
  for (const [k, v] of Object.entries(collection.identity)) {
    const key = k as keyof typeof collection.identity;
    if (v && !identity[key]) identity[key] = v;
  }
  return {
    id: `local-${randomUUID()}`,
    source: 'local',
    window: { start: r.cpu?.since ?? started.toISOString(), end: r.now().toISOString() },
    identity,
    measurements,
    gaps: gaps.slice(0, 1000),
    producer: r.producer,
  };
}
