import { CHECK_IDS, type CheckResult, type Report } from '../../schemas/index.js';
import { checkById } from '../../checks/index.js';
import type { IngestHooks } from '../ingest/hooks.js';
import type { DeviceRow, Repositories } from '../repositories/index.js';
import type { Store } from '../storage/store.js';
import { FaultTickets, type OpenTicket } from './opener.js';

const MAX_SYMPTOM = 2000;

interface OpenOrNewest {
  kind: 'ticket' | 'newest';
  name: string;
  id: number | null;
  at: number | null;
}

/** The ticket's 故障现象 from the result that raised it. */
export function symptomOf(result: CheckResult): string {
  const name = checkById(result.check)?.name.zh ?? result.check;
  const text = `${result.check} ${name}: ${result.reason ?? result.actual}`;
  return text.length > MAX_SYMPTOM ? `${text.slice(0, MAX_SYMPTOM - 1)}…` : text;
}

/**
 * The ingest hook: inside the report's transaction, an abnormal check opens (or keeps) the ticket
 * for its device and check, a normal one stamps `recovered` on it, an unknown one changes nothing.
 * A report with measurements also ends the device's silence. Never throws for data reasons.
 */
export class TicketsIngestHook implements IngestHooks {
  private readonly faults: FaultTickets;
  /** The device's open tickets and its newest result per check, in one statement (see the constructor). */
  private readonly openAndNewest: string;
  /** SQLite: the two halves of it, the second read only when a result could act (see readState). */
  private readonly openTickets: string;
  private readonly newestResults: string;
  /** PostgreSQL: the same, after marking the device alive in the same statement (a data-modifying WITH). */
  private readonly aliveOpenAndNewest: string | null;
  private readonly alive: string;
  private readonly unreached: string;

  constructor(
    private readonly store: Store,
    repos: Pick<Repositories, 'tickets' | 'maintenance'>,
  ) {
    this.faults = new FaultTickets(repos);
    this.alive = `INSERT INTO device_liveness (device_id, state, last_alive_at) VALUES (@device, 'up', @now)
       ON CONFLICT (device_id) DO UPDATE SET state = 'up', down_since = NULL, last_alive_at = excluded.last_alive_at`;
    this.unreached = 'INSERT INTO device_liveness (device_id) VALUES (?) ON CONFLICT DO NOTHING';
    // The newest result of each check: one row each of results_latest (migration 100), which the
    // same statement that stores results keeps. Beside them, in the same round trip, the device's
    // open tickets.
    const newest = CHECK_IDS.map(
      (c) => `SELECT 'newest' AS kind, '${c}' AS name, CAST(NULL AS BIGINT) AS id,
                     (SELECT at FROM results_latest WHERE device_id = @device AND check_id = '${c}') AS at`,
    );
    this.openTickets = "SELECT 'ticket' AS kind, subject AS name, id, recovered_at AS at FROM tickets WHERE device_id = @device AND status <> 'closed'";
    this.newestResults = newest.join(' UNION ALL ');
    this.openAndNewest = `${this.openTickets} UNION ALL ${this.newestResults}`;
    // On PostgreSQL the liveness write rides along (a data-modifying WITH: one round trip fewer).
    // SQLite has none; there it is its own statement, which costs no round trip.
    this.aliveOpenAndNewest = store.engine === 'postgres'
      ? `WITH alive AS (${this.alive}) ${this.openAndNewest}`
      : null;
  }

  async afterResults(device: DeviceRow, results: CheckResult[], report: Report, now: Date): Promise<void> {
    const nowMs = now.getTime();
    const seenAt = Date.parse(report.window.end);
    const fault = { id: device.id, site: device.site, hostname: device.hostname, kind: device.kind, role: device.role, model: device.model };
    // Read once: the device's open tickets and, when a result could act, its newest result per
    // check (a report usually changes nothing, and then costs one read, not two per check). Only a
    // report with measurements shows the device reachable; one made only of gaps (an SNMP timeout,
    // an SSH auth failure) leaves the silence scan to judge it.
    const reached = report.measurements.length > 0;
    const rows = await this.readState(device.id, results, reached, nowMs);
    const open = new Map<string, OpenTicket>();
    const newest = new Map<string, number | null>();
    for (const r of rows) {
      if (r.kind === 'ticket') open.set(r.name, { id: r.id!, recoveredAt: r.at });
      else newest.set(r.name, r.at);
    }
    if (reached) await this.faults.fine(device.id, 'down', nowMs, `reported again (report ${report.id})`, open.get('down') ?? null);
    for (const r of results) {
      // A late report (a spool flushed after newer ones arrived) does not overrule a newer verdict.
      const latest = newest.get(r.check);
      if (latest !== undefined && latest !== null && latest > seenAt) continue;
      if (r.verdict === 'abnormal') await this.faults.fault(fault, r.check, symptomOf(r), seenAt, nowMs, open.get(r.check) ?? null);
      else if (r.verdict === 'normal') await this.faults.fine(device.id, r.check, nowMs, `normal again (report ${report.id})`, open.get(r.check) ?? null);
    }
  }

  /** Marks the device alive (or known, when unreached), and reads its open tickets and, when needed, its newest result per check. */
  private async readState(deviceId: number, results: readonly CheckResult[], reached: boolean, nowMs: number): Promise<OpenOrNewest[]> {
    if (this.aliveOpenAndNewest !== null) {
      if (reached) return this.store.all<OpenOrNewest>(this.aliveOpenAndNewest, { device: deviceId, now: nowMs });
      await this.store.run(this.unreached, [deviceId]);
      return this.store.all<OpenOrNewest>(this.openAndNewest, { device: deviceId });
    }
    // SQLite: a statement is a call, not a round trip, so the six result seeks are made only when
    // a result could act on them: an abnormal one (open or keep a ticket), or an open ticket that a
    // normal one would mark recovered. A report with neither (the usual one) changes nothing.
    if (reached) await this.store.run(this.alive, { device: deviceId, now: nowMs });
    else await this.store.run(this.unreached, [deviceId]);
    const open = await this.store.all<OpenOrNewest>(this.openTickets, { device: deviceId });
    if (open.length === 0 && !results.some((r) => r.verdict === 'abnormal')) return open;
    return open.concat(await this.store.all<OpenOrNewest>(this.newestResults, { device: deviceId }));
  }
}
