import { randomUUID } from 'node:crypto';
import type { Report } from '../schemas/index.js';

/**
 * A new report's id: the source and a random UUID, nothing else. Ids used to carry the device's
 * address or name (`snmp-10.1.2.3-161-…`), and an id travels everywhere a report does — API
 * answers, inspection rows, customer pages — where the address must not (service plan 3.4.5).
 * The id is only an idempotency key; the window and device are fields of their own.
 */
export function newReportId(source: Report['source']): string {
  return `${source}-${randomUUID()}`;
}
