import { CHECK_IDS, type CheckResult, type Report } from '../../schemas/index.js';
import { checkById } from '../../checks/index.js';
import type { IngestHooks } from '../ingest/hooks.js';
import type { DeviceRow } from '../repositories/index.js';
import type { Store } from '../storage/store.js';
import { FaultTickets, type OpenTicket } from './opener.js';

const MAX_SYMPTOM = 2000;

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
  private readonly newest: string;
  private readonly alive: string;
  private readonly unreached: string;
  private readonly openTickets = "SELECT id, subject, recovered_at FROM tickets WHERE device_id = ? AND status <> 'closed'";

  constructor(private readonly store: Store) {
    this.faults = new FaultTickets(store);
    this.alive = `INSERT INTO device_liveness (device_id, state, last_alive_at) VALUES (?, 'up', ?)
       ON CONFLICT (device_id) DO UPDATE SET state = 'up', down_since = NULL, last_alive_at = excluded.last_alive_at`;
    this.unreached = 'INSERT INTO device_liveness (device_id) VALUES (?) ON CONFLICT DO NOTHING';
    // The newest result of each check in one statement: one index seek per check
    // (results_device_check_at). A GROUP BY would read every result the device ever had — and so
    // does max(at) on PostgreSQL while its statistics think the table small (a fresh or fast-growing
    // one): it then aggregates the whole index range instead of reading its last entry. ORDER BY …
    // DESC LIMIT 1 reads one entry on either engine whatever the statistics say.
    this.newest = CHECK_IDS.map(
      (c) => `SELECT '${c}' AS check_id, (SELECT at FROM results WHERE device_id = @device AND check_id = '${c}' ORDER BY at DESC LIMIT 1) AS at`,
    ).join(' UNION ALL ');
  }

  async afterResults(device: DeviceRow, results: CheckResult[], report: Report, now: Date): Promise<void> {
    const nowMs = now.getTime();
    const seenAt = Date.parse(report.window.end);
    const fault = { id: device.id, site: device.site, hostname: device.hostname, kind: device.kind, role: device.role, model: device.model };
    // Read once: the device's open tickets and its newest result per check (a report usually
    // changes nothing, and then costs these two statements, not two per check).
    const open = new Map<string, OpenTicket>();
    for (const t of await this.store.all<{ id: number; subject: string; recovered_at: number | null }>(this.openTickets, [device.id])) {
      open.set(t.subject, { id: t.id, recoveredAt: t.recovered_at });
    }
    // Only a report with measurements shows the device reachable; one made only of gaps
    // (an SNMP timeout, an SSH auth failure) leaves the silence scan to judge it.
    if (report.measurements.length > 0) {
      await this.store.run(this.alive, [device.id, nowMs]);
      await this.faults.fine(device.id, 'down', nowMs, `reported again (report ${report.id})`, open.get('down') ?? null);
    } else {
      await this.store.run(this.unreached, [device.id]);
    }
    const newest = new Map((await this.store.all<{ check_id: string; at: number | null }>(this.newest, { device: device.id })).map((r) => [r.check_id, r.at]));
    for (const r of results) {
      // A late report (a spool flushed after newer ones arrived) does not overrule a newer verdict.
      const latest = newest.get(r.check);
      if (latest !== undefined && latest !== null && latest > seenAt) continue;
      if (r.verdict === 'abnormal') await this.faults.fault(fault, r.check, symptomOf(r), seenAt, nowMs, open.get(r.check) ?? null);
      else if (r.verdict === 'normal') await this.faults.fine(device.id, r.check, nowMs, `normal again (report ${report.id})`, open.get(r.check) ?? null);
    }
  }
}
