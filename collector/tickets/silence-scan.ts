import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { onInterval, type Interval } from '../schedule.js';
import { detectSilence, type SilenceOutcome } from './silence.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The silence scan's schedule (tests move the app's clock, then wait on `nextRun()`); undefined when off. */
    silenceScan: Pick<Interval<SilenceOutcome[]>, 'nextRun'> | undefined;
  }
}

/**
 * Silence is a fault: the scan runs every `silenceScanSeconds` (default 60; 0 turns it off) from
 * when the app is ready until it closes, by the app's clock.
 */
const silenceScan: FastifyPluginAsync = async (app) => {
  const every = (app.config.silenceScanSeconds ?? 60) * 1000;
  if (every <= 0) {
    app.decorate('silenceScan', undefined);
    return;
  }
  let scan: Interval<SilenceOutcome[]> | undefined;
  const early: ((changes: SilenceOutcome[]) => void)[] = [];
  app.decorate('silenceScan', {
    nextRun: () => (scan ? scan.nextRun() : new Promise<SilenceOutcome[]>((resolve) => early.push(resolve))),
  });
  app.addHook('onReady', async () => {
    scan = onInterval(every, async () => {
      try {
        // With several collectors on one database, the one holding the lease scans.
        if (!(await app.cluster.holds('silence-scan', 3 * every))) return [];
        const changes = await detectSilence(app.store, app.clock(), app.repos);
        for (const change of changes) app.log.warn({ silence: change }, `device ${change.site}/${change.hostname} is ${change.state}`);
        return changes;
      } catch (err) {
        app.log.error({ err }, 'silence scan failed');
        return [];
      }
    });
    for (const resolve of early.splice(0)) void scan.nextRun().then(resolve);
  });
  app.addHook('onClose', async () => scan?.stop());
};
/** The `silence-scan` service: in the collector holding its lease (collector/cluster). */
export const silenceScanService = fp(silenceScan, { name: 'silence-scan', dependencies: ['cluster'] });
