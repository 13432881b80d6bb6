import { createHmac } from 'node:crypto';
import type { Store } from '../storage/store.js';
import { collectorKey } from './keys.js';

/*
 * Report ids were built from what a source knew, often the device's address
 * (`snmp-10.1.2.3-161-20261120T1000-ab12cd`, `ssh-fd00_1__2-…`). Sources now make opaque ids
 * (checks/report-id.ts), but old reports, old field CLIs and other clients still send such ids.
 * A customer is shown every id that is not opaque as an alias of the same shape, so the same report
 * always has the same alias and `GET /api/v1/reports/:id` finds it by either.
 *
 * The alias is derived: HMAC of the id under a collector key kept in the database, so every
 * collector on one database shows the same alias without asking the database (the redactor is
 * synchronous), and the pairing is written down so that the alias leads back to the report.
 * Aliases made before they were derived (random ones) are kept: loaded once at start and shown
 * as before.
 */

/** `<source>-<uuid>`: what the sources make now and what an alias looks like. Nothing to hide in it. */
export const OPAQUE_REPORT_ID = /^[a-z]{1,16}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ReportIdMap {
  /** The id a customer is shown for a stored report id. */
  shown(reportId: string): string;
  /** The stored report id an asked-for id (an alias, or the id itself) stands for. */
  stored(asked: string): Promise<string>;
}

/** How many recently shown aliases are remembered as written (a write is idempotent; this only spares repeats). */
const WRITTEN_MEMORY = 10_000;

export class ReportAliases implements ReportIdMap {
  private key: Buffer | undefined;
  /** Random aliases made before aliases were derived: report id → alias. */
  private readonly legacy = new Map<string, string>();
  private readonly written = new Set<string>();
  /**
   * Writes not yet committed, by alias. A reader follows an alias the moment it is shown; on
   * PostgreSQL the lookup runs on another pooled connection and would miss a write still in flight.
   */
  private readonly writing = new Map<string, Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Reads the key (made the first time) and the aliases made before they were derived. */
  async load(): Promise<void> {
    this.key = await collectorKey(this.store, 'report-alias');
    for (const r of await this.store.all<{ report_id: string; alias: string }>('SELECT report_id, alias FROM report_aliases')) {
      if (r.alias !== this.derived(r.report_id)) this.legacy.set(r.report_id, r.alias);
    }
  }

  /** `report-` and a UUID (version 4 layout) from the HMAC of the id. */
  private derived(reportId: string): string {
    if (!this.key) throw new Error('report aliases are not loaded yet (ReportAliases.load)');
    const h = createHmac('sha256', this.key).update(reportId).digest('hex');
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `report-${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  shown(reportId: string): string {
    if (OPAQUE_REPORT_ID.test(reportId)) return reportId;
    const old = this.legacy.get(reportId);
    if (old) return old;
    const alias = this.derived(reportId);
    if (!this.written.has(reportId)) {
      if (this.written.size >= WRITTEN_MEMORY) this.written.clear();
      this.written.add(reportId);
      // Written down for the way back (stored); idempotent, so another collector writing it too is fine.
      const write = this.store
        .run('INSERT INTO report_aliases (report_id, alias) VALUES (?, ?) ON CONFLICT DO NOTHING', [reportId, alias])
        .then(
          () => undefined,
          (err: unknown) => {
            this.written.delete(reportId);
            this.onError(err);
          },
        )
        .finally(() => {
          if (this.writing.get(alias) === write) this.writing.delete(alias);
        });
      this.writing.set(alias, write);
    }
    return alias;
  }

  async stored(asked: string): Promise<string> {
    await this.writing.get(asked);
    return (await this.store.get<{ report_id: string }>('SELECT report_id FROM report_aliases WHERE alias = ?', [asked]))?.report_id ?? asked;
  }
}
