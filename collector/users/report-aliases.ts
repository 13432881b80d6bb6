import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/db.js';

/*
 * Report ids were built from what a source knew, often the device's address
 * (`snmp-10.1.2.3-161-20261120T1000-ab12cd`, `ssh-fd00_1__2-…`). Sources now make opaque ids
 * (checks/report-id.ts), but old reports, old field CLIs and other clients still send such ids.
 * A customer is shown every id that is not opaque as an alias of the same shape, made the first
 * time it is shown and kept, so the same report always has the same alias and
 * `GET /api/v1/reports/:id` finds it by either.
 */

/** `<source>-<uuid>`: what the sources make now and what an alias looks like. Nothing to hide in it. */
export const OPAQUE_REPORT_ID = /^[a-z]{1,16}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ReportIdMap {
  /** The id a customer is shown for a stored report id. */
  shown(reportId: string): string;
  /** The stored report id an asked-for id (an alias, or the id itself) stands for. */
  stored(asked: string): string;
}

export class ReportAliases implements ReportIdMap {
  private readonly s: {
    aliasOf: Statement<[string], { alias: string }>;
    idOf: Statement<[string], { report_id: string }>;
    add: Statement<[string, string]>;
  };

  constructor(db: Db) {
    this.s = {
      aliasOf: db.prepare('SELECT alias FROM report_aliases WHERE report_id = ?'),
      idOf: db.prepare('SELECT report_id FROM report_aliases WHERE alias = ?'),
      add: db.prepare('INSERT OR IGNORE INTO report_aliases (report_id, alias) VALUES (?, ?)'),
    };
  }

  shown(reportId: string): string {
    if (OPAQUE_REPORT_ID.test(reportId)) return reportId;
    const known = this.s.aliasOf.get(reportId);
    if (known) return known.alias;
    // INSERT OR IGNORE then read: two readers racing on the same id agree on the first alias.
    this.s.add.run(reportId, `report-${randomUUID()}`);
    return this.s.aliasOf.get(reportId)!.alias;
  }

  stored(asked: string): string {
    return this.s.idOf.get(asked)?.report_id ?? asked;
  }
}
