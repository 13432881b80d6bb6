import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { onInterval, type Interval } from '../schedule.js';
import type { ChannelDirectory } from './channels/types.js';
import { NotifyPlanner, type PlanResult } from './planner.js';
import { NotifyScan } from './scan.js';
import { NotifySender, type SendResult } from './sender.js';
import { ChannelPacer, PER_MINUTE } from './pacing.js';

/** One round of the notification schedule: scan (when due), plan, send. */
export interface NotifyRound {
  raised: number;
  planned: PlanResult;
  sent: SendResult;
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The channels messages go out through: the configured ones (collector/notify/channels, its
     * `notifyChannels.directory`), or a directory a test injects (AppOptions.notifyChannels).
     */
    notifyDirectory: ChannelDirectory;
    /** The notification schedule: tests move the app's clock, then `await app.notify.nextRun()`. */
    notify: { nextRun(): Promise<NotifyRound>; round(): Promise<NotifyRound> };
  }
}

/** No channel configured: every message becomes a dead letter naming the channel it wanted. */
export const NO_CHANNELS: ChannelDirectory = { get: () => Promise.resolve(undefined), list: () => Promise.resolve([]) };

/** Events planned per transaction batch, and batches per round. */
const PLAN_BATCH = 200;
const PLAN_BATCHES = 25;

/** Scans for time-driven events (deadlines, escalation) at most this often by the app's clock. */
const SCAN_EVERY_MS = 10_000;

function dashboardUrl(app: FastifyInstance): string {
  if (app.config.notify?.dashboardUrl) return app.config.notify.dashboardUrl.replace(/\/$/, '');
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : app.config.listen.port;
  const host = ['0.0.0.0', '::'].includes(app.config.listen.host) ? '127.0.0.1' : app.config.listen.host;
  return `${app.config.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/**
 * Notifications: every `notify.pollMs` (default 200 ms) the journal's new events are planned into
 * the outbox and what is due is sent; every 10 s of the app's clock the deadline, escalation,
 * month-end and contract scans run first (on the one collector of a cluster holding the
 * `notify-scan` lease), and messages a killed collector left `sending` are sent
 * again once their lease has run out (see sender.ts for the at-least-once edge).
 */
export const notifyPlugin: FastifyPluginAsync = async (app) => {
  if (!app.hasDecorator('notifyDirectory')) app.decorate('notifyDirectory', app.hasDecorator('notifyChannels') ? app.notifyChannels.directory : NO_CHANNELS);
  const settings = { pollMs: 200, maxAttempts: 8, concurrency: 16, ...app.config.notify };
  const planner = new NotifyPlanner(app.store, app.repos, app.notifyDirectory);
  const scanner = new NotifyScan(app.store, app.repos);
  const m = {
    sent: app.metrics.counter('xunjian_notify_sent_total', 'Notifications accepted by their channel, by channel kind'),
    failed: app.metrics.counter('xunjian_notify_failed_total', 'Notification attempts that failed (retried or dead), by channel kind'),
    retried: app.metrics.counter('xunjian_notify_retried_total', 'Notifications scheduled for another attempt, by channel kind'),
    dead: app.metrics.counter('xunjian_notify_dead_total', 'Notifications given up (dead letters), by channel kind'),
    unrouted: app.metrics.counter('xunjian_notify_unrouted_total', 'Events no routing rule of their site matched (nobody was told)'),
    latency: app.metrics.histogram('xunjian_notify_delivery_seconds', 'From a message being due to its channel accepting it', [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 1800]),
  };
  app.metrics.gauge('xunjian_notify_outbox', 'Outbox messages by state', async () =>
    Object.entries(await planner.repo.countByState()).map(([state, value]) => ({ labels: { state }, value })),
  );
  const sender = new NotifySender(planner.repo, app.notifyDirectory, app.clock, { concurrency: settings.concurrency, maxAttempts: settings.maxAttempts, sendTimeoutMs: (settings.sendTimeoutSeconds ?? 30) * 1000, roundWaitMs: 1000 }, {
    sent: (kind, seconds) => {
      m.sent.inc({ channel: kind });
      m.latency.observe(seconds);
    },
    failed: (kind, outcome) => {
      const labels = { channel: kind };
      m.failed.inc(labels);
      (outcome === 'retry' ? m.retried : m.dead).inc(labels);
    },
  }, new ChannelPacer((kind) => (settings.perMinute as Partial<Record<string, number>> | undefined)?.[kind] ?? PER_MINUTE[kind]));

  let lastScan = -Infinity;
  const run = async (): Promise<NotifyRound> => {
    const now = app.clock();
    let raised = 0;
    try {
      if (now.getTime() - lastScan >= SCAN_EVERY_MS || now.getTime() < lastScan) {
        // One collector of a cluster scans (its events are keyed, so a second scan would raise
        // nothing new, but it would read every open ticket again for nothing).
        if (await app.cluster.holds('notify-scan', 3 * SCAN_EVERY_MS)) raised = (await scanner.scan(now)).raised;
        lastScan = now.getTime();
        // Sends a stopped collector left half done, once their lease has run out (see sender.ts).
        const released = await planner.repo.releaseAbandoned(now.getTime());
        if (released > 0) app.log.warn({ released }, 'notifications left sending by a stopped collector are sent again (same ids)');
      }
      // Plan in batches, yielding between them: a backlog (a storm, a clock that jumped a day)
      // never stalls ingest; what is left waits for the next round.
      const url = dashboardUrl(app);
      const planned: PlanResult = { events: 0, deliveries: 0, folded: 0, unrouted: 0 };
      for (let batch = 0; batch < PLAN_BATCHES; batch++) {
        const p = await planner.plan(now, url, PLAN_BATCH);
        for (const k of Object.keys(planned) as (keyof PlanResult)[]) planned[k] += p[k];
        if (p.events < PLAN_BATCH) break;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (planned.unrouted > 0) m.unrouted.inc(undefined, planned.unrouted);
      // A backlog drains batch after batch within the round (up to 1 s), not one batch per tick.
      const sent = await sender.sendDue();
      for (const started = Date.now(); sent.claimed >= settings.concurrency && Date.now() - started < 1000; ) {
        const more = await sender.sendDue();
        for (const k of Object.keys(sent) as (keyof SendResult)[]) sent[k] += more[k];
        if (more.claimed < settings.concurrency) break;
      }
      return { raised, planned, sent };
    } catch (err) {
      app.log.error({ err }, 'notification round failed');
      return { raised, planned: { events: 0, deliveries: 0, folded: 0, unrouted: 0 }, sent: { claimed: 0, sent: 0, retried: 0, dead: 0, deferred: 0 } };
    }
  };
  // One round at a time; a round asked for while one runs starts right after it (never skipped:
  // nextRun() promises a round that began after the call).
  let current: Promise<NotifyRound> | null = null;
  let queued: Promise<NotifyRound> | null = null;
  const round = (): Promise<NotifyRound> => {
    if (!current) {
      current = run().finally(() => (current = null));
      return current;
    }
    queued ??= current.then(() => {
      queued = null;
      return round();
    });
    return queued;
  };

  let schedule: Interval<NotifyRound> | undefined;
  const early: ((r: NotifyRound) => void)[] = [];
  app.decorate('notify', {
    round,
    nextRun: async () => (schedule ? schedule.nextRun() : new Promise<NotifyRound>((resolve) => early.push(resolve))),
  });
  app.addHook('onReady', async () => {
    schedule = onInterval(settings.pollMs, round);
    for (const resolve of early.splice(0)) void schedule.nextRun().then(resolve);
  });
  app.addHook('onClose', async () => {
    schedule?.stop();
    await current;
  });
};
/** The `notify` service: the outbox's schedule, in every collector (claims keep each message once). */
export const notifyService = fp(notifyPlugin, { name: 'notify', dependencies: ['notify-channels', 'cluster'] });
