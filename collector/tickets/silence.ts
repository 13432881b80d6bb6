import type { DeviceKind } from '../../schemas/index.js';
import { createRepositories, type Repositories } from '../repositories/index.js';
import type { Store } from '../storage/store.js';
import { FaultTickets, type FaultOutcome } from './opener.js';

interface Watched {
  id: number;
  site: string;
  hostname: string;
  kind: DeviceKind;
  role: string | null;
  model: string | null;
  interval_s: number;
  last_at: number | null;
  first_seen: number;
  missed_reports: number | null;
  state: 'up' | 'down' | null;
  down_since: number | null;
}

export interface SilenceOutcome {
  site: string;
  hostname: string;
  state: 'down' | 'up';
  /** For a device newly down: what happened to its ticket. */
  ticket?: FaultOutcome;
}

/**
 * Silence is a fault: a device watched for silence (it has its own expected report interval, or
 * its site's default and it reports by itself: agent, SNMP poller) that has neither been reached (a report with measurements; a report made only of
 * gaps, such as an SNMP timeout, does not count) nor sent a heartbeat for `missedReports` intervals
 * (device setting, else the site's SLA profile, default 3) is `down`, and gets a `down` ticket
 * (P2, P1 when core) unless an approved maintenance window covers it. A down device heard from
 * again is `up`, and its ticket shows it recovered. Returns the devices whose state changed.
 */
export async function detectSilence(store: Store, now: Date, repos: Repositories = createRepositories(store)): Promise<SilenceOutcome[]> {
  const nowMs = now.getTime();
  const faults = new FaultTickets(repos);
  const lastAt = store.dialect.greatest(
    "coalesce(CASE WHEN l.device_id IS NULL THEN d.last_report_at ELSE l.last_alive_at END, 0)",
    'coalesce(d.last_heartbeat_at, 0)',
  );
  const watched = await store.all<Watched>(
      `SELECT d.id, s.name AS site, d.hostname, d.kind, coalesce(d.role, d.reported_role) AS role, d.model,
              coalesce(d.expected_interval_s, s.expected_interval_s) AS interval_s,
              ${lastAt} AS last_at,
              d.first_seen, l.missed_reports, l.state, l.down_since
       FROM devices d JOIN sites s ON s.id = d.site_id LEFT JOIN device_liveness l ON l.device_id = d.id
       WHERE (d.expected_interval_s IS NOT NULL
          -- The site's default interval applies to devices that report on their own (agent, SNMP
          -- poller); a device seen only in field inspections is not expected between visits.
          OR (s.expected_interval_s IS NOT NULL AND (d.last_source IN ('agent', 'snmp') OR d.last_heartbeat_at IS NOT NULL
              -- a server whose BMC or HMC the collector polls (collector/poller) reports on its own too
              OR EXISTS (SELECT 1 FROM bmc_targets b WHERE b.site = s.name AND b.hostname = d.hostname))))
          -- A device put on record by hand that nothing has ever reported for is not monitored: never silent.
          AND (d.manual = 0 OR d.last_report_at IS NOT NULL OR d.last_heartbeat_at IS NOT NULL)`,
  );
  const setState = (id: number, state: 'up' | 'down', since: number | null) =>
    store.run(
      `INSERT INTO device_liveness (device_id, state, down_since) VALUES (?, ?, ?)
       ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, down_since = excluded.down_since`,
      [id, state, since],
    );
  const profiles = new Map<string, number>();
  const changed: SilenceOutcome[] = [];
  await store.transaction(async () => {
    for (const d of watched) {
      let siteMissed = profiles.get(d.site);
      if (siteMissed === undefined) profiles.set(d.site, (siteMissed = (await faults.tickets.sla(d.site)).missedReports));
      const missed = d.missed_reports ?? siteMissed;
      const lastAt = d.last_at || d.first_seen;
      const silentFor = nowMs - lastAt;
      const isDown = silentFor > d.interval_s * 1000 * missed;
      const wasDown = d.state === 'down';
      const symptom = () =>
        `down: no report or heartbeat since ${new Date(lastAt).toISOString()} (expected every ${d.interval_s} s; ${missed} missed) / 设备无响应`;
      if (isDown && !wasDown) {
        await setState(d.id, 'down', nowMs);
        const ticket = await faults.fault(d, 'down', symptom(), nowMs, nowMs);
        changed.push({ site: d.site, hostname: d.hostname, state: 'down', ticket });
      } else if (isDown && wasDown && d.down_since !== null && !(await faults.tickets.active(d.id, 'down')) && !(await faults.tickets.openedSince(d.id, 'down', d.down_since))) {
        // Down since a scan inside an approved maintenance window, which held the ticket back: once
        // the window is over, a device still silent gets its ticket (the window postpones, not
        // cancels). A ticket a person closed since the device went down is not reopened.
        const ticket = await faults.fault(d, 'down', symptom(), nowMs, nowMs);
        if (ticket.action !== 'suppressed') changed.push({ site: d.site, hostname: d.hostname, state: 'down', ticket });
      } else if (!isDown && wasDown) {
        // Heard from again (a heartbeat; a report already did this in the ingest hook).
        await setState(d.id, 'up', null);
        await faults.fine(d.id, 'down', nowMs, `heard from again at ${new Date(lastAt).toISOString()}`);
        changed.push({ site: d.site, hostname: d.hostname, state: 'up' });
      }
    }
  });
  return changed;
}
