import type { CheckResult, Report } from '../../schemas/index.js';
import type { DeviceRow } from '../repositories/index.js';

/**
 * Called inside the ingest transaction, after the report and its six results are stored and
 * before the 2xx: whatever a hook writes commits (or rolls back) with the report. Throwing
 * rolls the report back and the client gets a 500 and resends — so hooks must not throw for
 * data reasons. Tickets use this to open/recover a ticket per device and check.
 */
export interface IngestHooks {
  /** Queries through the hook's own store join the ingest transaction (transactions are ambient). */
  afterResults(device: DeviceRow, results: CheckResult[], report: Report, now: Date): void | Promise<void>;
}
