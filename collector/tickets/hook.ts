import type { CheckResult, Report } from '../../schemas/index.js';
import { checkById } from '../../checks/index.js';
import type { IngestHooks } from '../ingest/hooks.js';
import type { DeviceRow } from '../repositories/index.js';
import type { Db } from '../storage/db.js';
import { FaultTickets } from './opener.js';

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
  private readonly newest;
  private readonly alive;
  private readonly unreached;

  constructor(db: Db) {
    this.faults = new FaultTickets(db);
    this.alive = db.prepare(
      `INSERT INTO device_liveness (device_id, state, last_alive_at) VALUES (?, 'up', ?)
       ON CONFLICT (device_id) DO UPDATE SET state = 'up', down_since = NULL, last_alive_at = excluded.last_alive_at`,
    );
    this.unreached = db.prepare('INSERT OR IGNORE INTO device_liveness (device_id) VALUES (?)');
    // One index seek (results_device_check_at) per check.
    this.newest = db.prepare('SELECT max(at) AS at FROM results WHERE device_id = ? AND check_id = ?').pluck();
  }

  afterResults(device: DeviceRow, results: CheckResult[], report: Report, now: Date): void {
    const nowMs = now.getTime();
    const seenAt = Date.parse(report.window.end);
    const fault = { id: device.id, site: device.site, hostname: device.hostname, kind: device.kind, role: device.role, model: device.model };
    // Only a report with measurements shows the device reachable; one made only of gaps
    // (an SNMP timeout, an SSH auth failure) leaves the silence scan to judge it.
    if (report.measurements.length > 0) {
      this.alive.run(device.id, nowMs);
      this.faults.fine(device.id, 'down', nowMs, `reported again (report ${report.id})`);
    } else {
      this.unreached.run(device.id);
    }
    for (const r of results) {
      // A late report (a spool flushed after newer ones arrived) does not overrule a newer verdict.
      const newest = this.newest.get(device.id, r.check) as number | null;
      if (newest !== null && newest > seenAt) continue;
      if (r.verdict === 'abnormal') this.faults.fault(fault, r.check, symptomOf(r), seenAt, nowMs);
      else if (r.verdict === 'normal') this.faults.fine(device.id, r.check, nowMs, `normal again (report ${report.id})`);
    }
  }
}
