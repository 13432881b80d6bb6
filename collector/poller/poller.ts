import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { collectSnmp } from '../../checks/sources/snmp/index.js';
import { MAX_MEASUREMENTS_PER_REPORT, type Measurement, type Report } from '../../schemas/index.js';
import type { Principal } from '../auth.js';
import { PollQueue } from './queue.js';
import type { SnmpTargetsRepository } from './repository.js';

/** Syslog entries held per target between polls. */
const MAX_EXTRAS = 1000;

export interface PollerOptions {
  /** Polls in flight at once across all targets. */
  concurrency: number;
  /** How often the schedule is re-read for new, changed or deleted targets; default 1000 ms. */
  tickMs?: number;
}

/**
 * Polls every SNMP target on its own interval, at most `concurrency` at once. Each poll is
 * independent: a slow or dead device holds one slot, never another device's turn. The report
 * goes through `app.ingest` exactly as a POSTed one (evaluation, tickets, silence, inspections).
 */
export class Poller {
  private readonly queue: PollQueue;
  /** Who waits for a target's poll to be recorded (whenPolled). */
  private readonly waiting = new Map<number, (() => void)[]>();
  /** Measurements handed over by the syslog receiver, added to the target's next report. */
  private readonly extras = new Map<number, Measurement[]>();

  constructor(
    private readonly app: FastifyInstance,
    private readonly targets: SnmpTargetsRepository,
    options: PollerOptions,
  ) {
    const polls = app.metrics.counter('xunjian_snmp_polls_total', 'SNMP polls by result (ok, unreachable, error)');
    this.count = (result) => polls.inc({ result });
    this.queue = new PollQueue({
      concurrency: options.concurrency,
      ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
      now: () => app.clock().getTime(),
      due: (now) => targets.due(now),
      // With several collectors on one database each polls its share (collector/cluster).
      mine: (id) => app.cluster.mine(`snmp:${id}`),
      poll: (id) => this.pollOne(id),
      failed: (e, id) => app.log.error({ err: e, target: id }, 'SNMP poll failed'),
      // Entries that arrived while this poll ran get a poll of their own.
      again: (id) => this.extras.has(id),
    });
  }
  private readonly count: (result: string) => void;

  start(): void {
    this.queue.start();
  }

  /** Stops scheduling and waits for the polls in flight. */
  async stop(): Promise<void> {
    await this.queue.stop();
  }

  /** Queues every target that is due and not already polling or queued. */
  tick(): Promise<void> {
    return this.queue.tick();
  }

  /** The targets this collector would poll in a round at `now` (the schedule's one choice, queue.ts). */
  dueTargets(now: number): Promise<number[]> {
    return this.queue.dueTargets(now);
  }

  /**
   * Polls a target out of turn and adds `measurements` (syslog entries) to its report, so the
   * report is complete: a log-only report would leave the other five checks "not measured" as
   * the device's latest results. Entries for a target already polling join the next poll.
   */
  pollNow(id: number, measurements: Measurement[]): void {
    const held = this.extras.get(id) ?? [];
    held.push(...measurements.slice(0, Math.max(0, MAX_EXTRAS - held.length)));
    this.extras.set(id, held);
    this.queue.soon(id);
  }

  /**
   * Resolves once the target has a recorded poll: at once if it has one, else when its next poll
   * records its result. An event of the poller itself, so a test waits on it rather than asking
   * the API against a wall-clock deadline that a loaded machine can miss.
   */
  async whenPolled(id: number): Promise<void> {
    if ((await this.targets.byId(id))?.lastPollAt != null) return;
    return new Promise((resolve) => this.waiting.set(id, [...(this.waiting.get(id) ?? []), resolve]));
  }

  private recorded(id: number): void {
    const told = this.waiting.get(id) ?? [];
    this.waiting.delete(id);
    for (const resolve of told) resolve();
  }

  /** Polls one target now (also used by tests and a future "poll now" route). */
  async pollOne(id: number): Promise<void> {
    const t = await this.targets.byId(id);
    if (!t) return; // deleted meanwhile
    const started = this.app.clock();
    let report: Report;
    try {
      const target = this.targets.snmpTarget(t);
      report = await collectSnmp(target, {
        now: this.app.clock,
        // The log window starts where the last successful poll ended: no entry twice, none missed.
        ...(t.lastSuccessAt !== null ? { logSince: new Date(t.lastSuccessAt) } : {}),
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      const lost = this.extras.get(id)?.length ?? 0;
      this.extras.delete(id);
      if (lost) this.app.log.warn(`${lost} syslog entries for SNMP target ${id} not stored: its poll failed`);
      await this.targets.recordPoll(id, { by: this.app.cluster.id, at: started.getTime(), result: 'error', error: message.slice(0, 500) });
      this.recorded(id);
      this.count('error');
      this.app.log.warn({ target: id, host: t.raw.host }, `SNMP poll of ${t.raw.host}:${t.raw.port} failed: ${message}`);
      return;
    }
    const reached = report.measurements.length > 0;
    const extra = this.extras.get(id) ?? [];
    this.extras.delete(id);
    if (extra.length) {
      const room = MAX_MEASUREMENTS_PER_REPORT - report.measurements.length;
      report = { ...report, measurements: [...report.measurements, ...extra.slice(0, Math.max(0, room))] };
    }
    // A fresh unique id per poll, whatever the source chose, so two polls never collide.
    report = { ...report, id: `poll-${id}-${started.getTime().toString(36)}-${randomBytes(4).toString('hex')}`, site: t.site };
    if (t.raw.role && !report.identity.role) report = { ...report, identity: { ...report.identity, role: t.raw.role } };
    const principal: Principal = { tokenId: t.tokenId as number, name: `snmp-poller:${id}`, role: 'admin', site: t.site };
    const outcome = await this.app.ingest(report, principal, this.app.clock());
    if (!outcome.duplicate && outcome.device.expectedIntervalS === null && outcome.device.effectiveIntervalS === null) {
      // Watched for silence at the target's own interval (misses from the site's SLA profile).
      await this.app.repos.devices.update(outcome.device.id, { expectedIntervalS: t.intervalS });
    }
    const firstGap = report.gaps[0]?.reason;
    await this.targets.recordPoll(id, {
      by: this.app.cluster.id,
      at: started.getTime(),
      result: reached ? 'ok' : 'unreachable',
      ...(reached ? {} : { error: (firstGap ?? 'no measurement').slice(0, 500) }),
      reportId: report.id,
      hostname: report.identity.hostname,
    });
    this.recorded(id);
    this.count(reached ? 'ok' : 'unreachable');
  }
}
