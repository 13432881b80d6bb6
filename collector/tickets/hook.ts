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
 * Any report also ends the device's silence. Never throws for data reasons.
 */
export class TicketsIngestHook implements IngestHooks {
  private readonly faults: FaultTickets;
  private readonly liveness;

  constructor(db: Db) {
    this.faults = new FaultTickets(db);
    this.liveness = db.prepare(`UPDATE device_liveness SET state = 'up', down_since = NULL WHERE device_id = ? AND state = 'down'`);
  }

  afterResults(_tx: Db, device: DeviceRow, results: CheckResult[], report: Report, now: Date): void {
    const nowMs = now.getTime();
    const seenAt = Date.parse(report.window.end);
    const fault = { id: device.id, site: device.site, hostname: device.hostname, kind: device.kind, role: device.role, model: device.model };
    this.liveness.run(device.id);
    this.faults.fine(device.id, 'down', nowMs, `reported again (report ${report.id})`);
    for (const r of results) {
      if (r.verdict === 'abnormal') this.faults.fault(fault, r.check, symptomOf(r), seenAt, nowMs);
      else if (r.verdict === 'normal') this.faults.fine(device.id, r.check, nowMs, `normal again (report ${report.id})`);
    }
  }
}
