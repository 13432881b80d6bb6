import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Report } from '../../schemas/index.js';
import type { Principal } from '../auth.js';
import { pollBmcTarget } from './bmc-collect.js';
import type { BmcTargetsRepository } from './bmc-repository.js';
import { PollQueue } from './queue.js';

/**
 * Polls every out-of-band target (Redfish, IPMI over LAN, HMC) on its own interval, at most
 * `concurrency` at once, and ingests each report as the device's `bmc` source through `app.ingest`
 * — where it is judged together with the device's latest agent/SSH report (collector/ingest
 * companion.ts), so neither source's gaps overwrite the other's results.
 */
export class BmcPoller {
  /** Its schedule: `start()` on ready, `stop()` on close, `tick()` after a target is added. */
  readonly queue: PollQueue;
  private readonly count: (result: string) => void;

  constructor(
    private readonly app: FastifyInstance,
    private readonly targets: BmcTargetsRepository,
    options: { concurrency: number; tickMs?: number },
  ) {
    const polls = app.metrics.counter('xunjian_bmc_polls_total', 'BMC/HMC polls by result (ok, unreachable, error)');
    this.count = (result) => polls.inc({ result });
    this.queue = new PollQueue({
      concurrency: options.concurrency,
      ...(options.tickMs !== undefined ? { tickMs: options.tickMs } : {}),
      now: () => app.clock().getTime(),
      due: (now) => targets.due(now),
      mine: (id) => app.cluster.mine(`bmc:${id}`),
      poll: (id) => this.pollOne(id),
      failed: (e, id) => app.log.error({ err: e, target: id }, 'BMC poll failed'),
    });
  }

  /** Polls one target now. */
  async pollOne(id: number): Promise<void> {
    const t = await this.targets.byId(id);
    if (!t) return; // deleted meanwhile
    const started = this.app.clock();
    let report: Report;
    try {
      report = await pollBmcTarget(this.targets, t, { now: started, ...(t.last_success_at !== null ? { logSince: new Date(t.last_success_at) } : {}) });
    } catch (e) {
      // Only our side fails here (the sealed password cannot be opened): the controller's own failures are gaps.
      const message = e instanceof Error ? e.message : String(e);
      await this.targets.recordPoll(id, { by: this.app.cluster.id, at: started.getTime(), result: 'error', error: message.slice(0, 500) });
      this.count('error');
      this.app.log.warn({ target: id, host: t.host }, `${t.protocol} poll of ${t.host}:${t.port} failed: ${message}`);
      return;
    }
    const reached = report.measurements.length > 0;
    report = { ...report, id: `bmc-${id}-${started.getTime().toString(36)}-${randomBytes(4).toString('hex')}`, site: t.site, source: 'bmc' };
    if ((await this.app.repos.devices.get(t.site, t.hostname))?.os) {
      // The OS reports this server too: its version (the kernel, not the BMC firmware) and its
      // addresses (syslog senders are matched by them, not the BMC's) stay the OS's.
      const { version: _firmware, ...identity } = report.identity;
      report = { ...report, identity: { ...identity, addresses: [] } };
    }
    const principal: Principal = { tokenId: t.token_id as number, name: `bmc-poller:${id}`, role: 'admin', site: t.site };
    const outcome = await this.app.ingest(report, principal, this.app.clock());
    if (!outcome.duplicate && outcome.device.expectedIntervalS === null && outcome.device.effectiveIntervalS === null) {
      // Watched for silence at the target's interval: a BMC that answers only with gaps is not alive.
      await this.app.repos.devices.update(outcome.device.id, { expectedIntervalS: t.interval_s });
    }
    await this.targets.recordPoll(id, {
      by: this.app.cluster.id,
      at: started.getTime(),
      result: reached ? 'ok' : 'unreachable',
      ...(reached ? {} : { error: (report.gaps[0]?.reason ?? 'no measurement').slice(0, 500) }),
      reportId: report.id,
    });
    this.count(reached ? 'ok' : 'unreachable');
  }
}
