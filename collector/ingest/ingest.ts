import { evaluateReport } from '../../checks/index.js';
import type { CheckResult, Heartbeat, Lang, Report, ThresholdOverrides } from '../../schemas/index.js';
import type { Principal } from '../auth.js';
import { badRequest } from '../errors.js';
import { assertSite } from '../auth.js';
import type { DeviceRow, Repositories, SiteRow } from '../repositories/index.js';
import type { Store } from '../storage/store.js';
import { assertSpeaksFor, cleanDeviceText } from '../identity/index.js';
import { GroupCommit } from './batcher.js';
import { coveredResults } from './coverage.js';
import { companionJudge } from './companion.js';
import type { IngestHooks } from './hooks.js';

export type IngestOutcome =
  | { duplicate: true; reportId: string }
  | { duplicate: false; reportId: string; device: DeviceRow; results: CheckResult[]; /** Device strings that carried control/bidi characters (removed, flagged). */ stripped: number };

export interface IngestOptions {
  hooks?: readonly IngestHooks[];
  /** Language of the stored results' wording (expected/actual). */
  lang?: Lang;
}

/** The site a write is for: the body's, else the token's; never another site than the token's. */
export function siteFor(principal: Principal, bodySite: string | undefined): string {
  const site = bodySite ?? principal.site;
  if (!site) throw badRequest('site_required', 'site is required: the token is global, so the body must name the site');
  assertSite(principal, site);
  return site;
}

/** The device's effective overrides: the site's levels plus the device's own. */
export function overridesFor(site: SiteRow, device: DeviceRow): ThresholdOverrides | undefined {
  if (!site.thresholds && !device.thresholds) return undefined;
  const base = site.thresholds ?? {};
  if (!device.thresholds) return base;
  return { ...base, devices: { ...base.devices, [device.hostname]: device.thresholds } };
}

/**
 * Ingest: duplicate check, site and device registration, evaluation with the device's
 * thresholds, storage of the report, its measurements and the results of the checks it covers, and the hooks —
 * all in ONE transaction, committed before the caller answers 2xx.
 */
export function createIngest(store: Store, repos: Repositories, options: IngestOptions = {}) {
  const hooks = options.hooks ?? [];
  const lang = options.lang ?? 'zh';
  const withCompanion = companionJudge(store, repos);

  // A transaction of its own — a savepoint inside the group commit's outer transaction (or alone in tests).
  const ingest = (sent: Report, principal: Principal, now: Date): Promise<IngestOutcome> =>
    store.transaction(async (): Promise<IngestOutcome> => {
      // Site scope first: another site's token learns nothing, not even that an id exists.
      const siteName = siteFor(principal, sent.site);
      const nowMs = now.getTime();
      // Then the device: a forged report is refused whatever its id, before anything is looked up.
      await assertSpeaksFor(store, repos, principal, siteName, sent.identity.hostname, nowMs);
      // A report id stored already is learnt from the report's insert itself (ON CONFLICT DO
      // NOTHING): one statement fewer for every report (one round trip on PostgreSQL), and the
      // rare duplicate's site and device writes are rolled back with its transaction.
      const { report, stripped } = cleanDeviceText(sent);
      const site = await repos.sites.seenAt(siteName, nowMs);
      const device = await repos.devices.seenInReport(site, report.identity, report.source, nowMs);
      // Judged with the other side's latest report: agent/SSH beside the BMC (companion.ts).
      const both = await withCompanion(device, report, nowMs);
      // A role set by a person overrides the reported one for threshold levels (and ticket priority).
      const judged = device.role && device.role !== both.identity.role
        ? { ...both, identity: { ...both.identity, role: device.role } }
        : both;
      // Only the checks this report covers: a partial report (a syslog batch) leaves the others as they were.
      const results = coveredResults(report, evaluateReport(judged, overridesFor(site, device), { now, lang, timeZone: site.timeZone }));
      if ((await repos.reports.insertJudged(report, device.id, principal.tokenId, nowMs, results)) === undefined) throw new AlreadyStored(report.id);
      for (const hook of hooks) await hook.afterResults(device, results, report, now);
      return { duplicate: false, reportId: report.id, device, results, stripped };
    });
  // A duplicate found by the insert: its transaction (site and device touched) is rolled back whole.
  return (sent: Report, principal: Principal, now: Date): Promise<IngestOutcome> =>
    ingest(sent, principal, now).catch((error: unknown) => {
      if (error instanceof AlreadyStored) return { duplicate: true, reportId: error.reportId };
      throw error;
    });
}

/** Thrown inside ingest's transaction when PostgreSQL's insert found the report id stored already. */
class AlreadyStored extends Error {
  constructor(readonly reportId: string) {
    super(`report ${reportId} is stored already`);
  }
}

/** Ingest through group commit: resolves once the report's batch has committed. */
export function createBatchedIngest(store: Store, repos: Repositories, options: IngestOptions = {}) {
  const batcher = new GroupCommit(store, createIngest(store, repos, options));
  return (report: Report, principal: Principal, now: Date): Promise<IngestOutcome> => batcher.submit(report, principal, now);
}

/** An agent's sign of life; registers the host if it has not reported yet. */
export async function recordHeartbeat(store: Store, repos: Repositories, beat: Heartbeat, principal: Principal, now: Date): Promise<DeviceRow> {
  const siteName = siteFor(principal, beat.site);
  return store.transaction(async () => {
    await assertSpeaksFor(store, repos, principal, siteName, beat.hostname, now.getTime());
    const site = await repos.sites.seenAt(siteName, now.getTime());
    return repos.devices.heartbeat(site.id, beat.hostname, beat.agentId, now.getTime());
  });
}
