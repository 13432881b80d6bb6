import type { FastifyBaseLogger } from 'fastify';
import type { MetricsRegistry } from '../metrics.js';
import type { ReportsRepository } from '../repositories/index.js';

const DAY_MS = 86_400_000;
export const RETENTION_EVERY_MS = 60 * 60 * 1000;

export interface RetentionOptions {
  /** Raw measurements older than this many days are folded into hourly rollups; 0 keeps them. */
  rawDays: number;
  /** How often it runs after the run at start (default hourly). */
  everyMs?: number;
  /** Reports per transaction (the ingest path waits at most one batch for the write lock). */
  batch?: number;
}

export interface RetentionDeps {
  reports: Pick<ReportsRepository, 'pruneBatch'>;
  clock: () => Date;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  metrics: MetricsRegistry;
  /** Whether this collector runs retention now (several collectors on one database: one does). */
  holds?: (ttlMs: number) => Promise<boolean>;
}

export interface RetentionSchedule {
  /** Runs now (or joins the run in progress): resolves to the reports folded by that run. */
  runNow(): Promise<number>;
  /** The run at start: resolves to the reports it folded (0 with retention off). */
  readonly atStart: Promise<number>;
  /**
   * Resolves to the reports folded by the next scheduled run that begins after this call, so it
   * reads the app's clock as it is now. Tests wait on this event, never on a guessed time or on
   * the last run's timestamp, which a frozen test clock cannot tell apart from an earlier run's.
   */
  nextRun(): Promise<number>;
  /** Stops the timer and waits for a run in progress to end at its next batch. */
  stop(): Promise<void>;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Retention on a schedule: at start and every `everyMs`, the raw measurements of reports received
 * more than `rawDays` ago (by the app's clock) are folded into `measurements_hourly` and deleted;
 * reports, results, tickets and inspections are kept. A run yields to the event loop between
 * batches, so a large backlog (the first run after lowering `rawDays`) never stalls ingest.
 */
export function scheduleRetention(deps: RetentionDeps, options: RetentionOptions): RetentionSchedule {
  const { rawDays, everyMs = RETENTION_EVERY_MS, batch = 200 } = options;
  const pruned = deps.metrics.counter('xunjian_retention_reports_pruned_total', 'Reports whose raw measurements retention folded into hourly rollups');
  const failures = deps.metrics.counter('xunjian_retention_failures_total', 'Retention runs that failed (logged)');
  let lastRun = 0;
  deps.metrics.gauge('xunjian_retention_last_run_timestamp_seconds', 'When retention last finished a run (0: not yet, or retention off)', () => lastRun / 1000);

  let stopped = false;
  let running: Promise<number> | undefined;
  let waiting: ((folded: number) => void)[] = [];

  const run = async (): Promise<number> => {
    const cutoff = deps.clock().getTime() - rawDays * DAY_MS;
    let total = 0;
    try {
      if (deps.holds && !(await deps.holds(2 * everyMs))) return 0;
      for (;;) {
        const done = await deps.reports.pruneBatch(cutoff, batch);
        total += done;
        pruned.inc(undefined, done);
        if (done < batch || stopped) break;
        await nextTurn();
        if (stopped) break;
      }
      lastRun = deps.clock().getTime();
      if (total > 0) deps.log.info({ reports: total, rawDays }, 'retention: raw measurements folded into hourly rollups');
    } catch (err) {
      failures.inc();
      deps.log.error({ err }, 'retention failed');
    }
    return total;
  };

  const runNow = (): Promise<number> => {
    if (rawDays <= 0 || stopped) return Promise.resolve(0);
    running ??= run().finally(() => (running = undefined));
    return running;
  };

  // A scheduled turn while a run is in progress joins it; its waiters, registered after that run
  // read the clock, are kept for the next turn, which starts fresh.
  const scheduled = (): Promise<number> => {
    if (running) return running;
    const told = waiting;
    waiting = [];
    return runNow().then((folded) => {
      for (const resolve of told) resolve(folded);
      return folded;
    });
  };
  const nextRun = () => new Promise<number>((resolve) => waiting.push(resolve));

  if (rawDays <= 0) return { runNow, atStart: Promise.resolve(0), nextRun: () => Promise.resolve(0), stop: async () => {} };
  const atStart = runNow();
  const timer = setInterval(() => void scheduled(), everyMs);
  timer.unref();
  return {
    runNow,
    atStart,
    nextRun,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      for (const resolve of waiting) resolve(0);
      waiting = [];
    },
  };
}
