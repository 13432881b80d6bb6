import type { Statement } from 'better-sqlite3';
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type DeviceKind,
  type Inspection,
  type InspectionForm,
  type InspectionRow,
  type InspectionStatus,
  type InspectionUploadResult,
} from '../../schemas/index.js';
import { badRequest, conflict, notFound } from '../errors.js';
import type { Db } from '../storage/db.js';
import { DEFAULT_TIME_ZONE } from '../../checks/index.js';
import { monthBounds, monthOf } from './month.js';

interface RawInspection {
  id: number;
  site: string;
  month: string;
  revision: number;
  status: InspectionStatus;
  notes: string;
  amendment_reason: string | null;
  rows: string | null;
  signed_by: string | null;
  signed_at: number | null;
  confirmed_by: string | null;
  confirmed_at: number | null;
}

interface Candidate {
  row: InspectionRow;
  at: number;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function rowFrom(device: string, kind: DeviceKind | null, r: CheckResult, at: number, reportId: string, origin: 'report' | 'field'): InspectionRow {
  return {
    device,
    deviceKind: kind,
    check: r.check,
    verdict: r.verdict,
    actual: r.actual,
    expected: r.expected,
    commands: r.commands,
    reason: r.reason ?? null,
    evaluatedAt: new Date(at).toISOString(),
    reportId,
    origin,
  };
}

/** The monthly inspection record of a site: assembly, notes, sign-off, confirmation, revisions. */
export class InspectionsRepository {
  private readonly s: {
    latest: Statement<[string, string], RawInspection>;
    revision: Statement<[string, string, number], RawInspection>;
    revisions: Statement<[string, string], { revision: number; status: InspectionStatus; confirmed_at: number | null }>;
    create: Statement<[string, string, number, string, string | null, number, string], RawInspection>;
    devices: Statement<[string], { id: number; hostname: string; kind: DeviceKind; first_seen: number }>;
    latestResult: Statement<[number, string, number, number], { result: string; at: number; report_id: string }>;
    uploads: Statement<[string, string], { hostname: string; kind: DeviceKind | null; window_end: number; form: string; report_id: string }>;
    uploadSeen: Statement<[string], { report_id: string }>;
    insertUpload: Statement<[string, string, string, string, string | null, number, string, number, string]>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      latest: db.prepare('SELECT * FROM inspections WHERE site = ? AND month = ? ORDER BY revision DESC LIMIT 1'),
      revision: db.prepare('SELECT * FROM inspections WHERE site = ? AND month = ? AND revision = ?'),
      revisions: db.prepare('SELECT revision, status, confirmed_at FROM inspections WHERE site = ? AND month = ? ORDER BY revision'),
      create: db.prepare(
        `INSERT INTO inspections (site, month, revision, status, notes, amendment_reason, created_at, created_by)
         VALUES (?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING *`,
      ),
      devices: db.prepare(
        `SELECT d.id, d.hostname, d.kind, d.first_seen FROM devices d JOIN sites s ON s.id = d.site_id
         WHERE s.name = ? ORDER BY d.hostname`,
      ),
      latestResult: db.prepare(
        `SELECT x.result, x.at, p.report_id FROM results x JOIN reports p ON p.id = x.report_id
         WHERE x.device_id = ? AND x.check_id = ? AND x.at >= ? AND x.at < ?
         ORDER BY x.at DESC, x.id DESC LIMIT 1`,
      ),
      uploads: db.prepare('SELECT hostname, kind, window_end, form, report_id FROM inspection_uploads WHERE site = ? AND month = ?'),
      uploadSeen: db.prepare('SELECT report_id FROM inspection_uploads WHERE report_id = ?'),
      insertUpload: db.prepare(
        `INSERT INTO inspection_uploads (report_id, site, month, hostname, kind, window_end, form, uploaded_at, uploaded_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /** The site's time zone: its months are cut at local midnight (a site not yet on record: the default). */
  private zoneOf(site: string): string {
    const row = this.db.prepare('SELECT time_zone FROM sites WHERE name = ?').get(site) as { time_zone: string } | undefined;
    return row?.time_zone ?? DEFAULT_TIME_ZONE;
  }

  /**
   * The month's rows: for every device × check, the latest result whose report window ended in
   * the month — from reports the collector received or field inspections uploaded, whichever is
   * later. A device on record with no result for a check gets an `unknown` row saying so.
   */
  assemble(site: string, month: string): InspectionRow[] {
    const { start, end } = monthBounds(month, this.zoneOf(site));
    const best = new Map<string, Candidate>();
    const offer = (c: Candidate) => {
      const key = `${c.row.device}\u0000${c.row.check}`;
      const current = best.get(key);
      if (!current || c.at >= current.at) best.set(key, c);
    };
    const kinds = new Map<string, DeviceKind | null>();
    for (const d of this.s.devices.all(site)) {
      let found = false;
      for (const check of CHECK_IDS) {
        const r = this.s.latestResult.get(d.id, check, start, end);
        if (r) {
          found = true;
          offer({ row: rowFrom(d.hostname, d.kind, JSON.parse(r.result) as CheckResult, r.at, r.report_id, 'report'), at: r.at });
        }
      }
      // A device on record by the month's end belongs in its record even without results.
      if (found || d.first_seen < end) kinds.set(d.hostname, d.kind);
    }
    for (const u of this.s.uploads.all(site, month)) {
      if (!kinds.has(u.hostname)) kinds.set(u.hostname, u.kind);
      const form = JSON.parse(u.form) as InspectionForm;
      for (const r of form.results) offer({ row: rowFrom(u.hostname, u.kind, r, u.window_end, u.report_id, 'field'), at: u.window_end });
    }
    const rows: InspectionRow[] = [];
    for (const [device, kind] of [...kinds].sort(([a], [b]) => a.localeCompare(b))) {
      for (const check of CHECK_IDS) {
        const found = best.get(`${device}\u0000${check}`);
        rows.push(found ? found.row : missingRow(device, kind, check, month));
      }
    }
    return rows;
  }

  /** The latest revision (a draft not yet stored is revision 1), or revision `n`. */
  get(site: string, month: string, revision?: number): Inspection {
    monthBounds(month, this.zoneOf(site));
    const raw = revision === undefined ? this.s.latest.get(site, month) : this.s.revision.get(site, month, revision);
    if (!raw && revision !== undefined && revision !== 1) throw notFound(`no revision ${revision} of ${site} ${month}`);
    const revisions = this.s.revisions.all(site, month).map((r) => ({ revision: r.revision, status: r.status, confirmedAt: iso(r.confirmed_at) }));
    if (!raw) {
      return {
        site, month, revision: 1, status: 'draft', rows: this.assemble(site, month), notes: '', amendmentReason: null,
        signedBy: null, signedAt: null, confirmedBy: null, confirmedAt: null, locked: false,
        revisions: revisions.length ? revisions : [{ revision: 1, status: 'draft', confirmedAt: null }],
      };
    }
    return {
      site,
      month,
      revision: raw.revision,
      status: raw.status,
      rows: raw.rows !== null ? (JSON.parse(raw.rows) as InspectionRow[]) : this.assemble(site, month),
      notes: raw.notes,
      amendmentReason: raw.amendment_reason,
      signedBy: raw.signed_by,
      signedAt: iso(raw.signed_at),
      confirmedBy: raw.confirmed_by,
      confirmedAt: iso(raw.confirmed_at),
      locked: raw.status === 'confirmed',
      revisions,
    };
  }

  /** Months with a stored record or an upload, newest first. */
  months(site: string): { month: string; revision: number; status: InspectionStatus }[] {
    const rows = this.db
      .prepare(
        `SELECT month, max(revision) AS revision FROM (
           SELECT month, revision FROM inspections WHERE site = ?
           UNION ALL SELECT month, 1 FROM inspection_uploads WHERE site = ?)
         GROUP BY month ORDER BY month DESC`,
      )
      .all(site, site) as { month: string; revision: number }[];
    return rows.map((r) => ({ ...r, status: this.s.revision.get(site, r.month, r.revision)?.status ?? 'draft' }));
  }

  /** The draft to change: the latest revision when it is a draft (created on first use); 409 otherwise. */
  private draft(site: string, month: string, by: string, now: number, what: string): RawInspection {
    monthBounds(month, this.zoneOf(site));
    const latest = this.s.latest.get(site, month);
    if (!latest) return this.s.create.get(site, month, 1, '', null, now, by)!;
    if (latest.status === 'draft') return latest;
    throw conflict(
      latest.status === 'confirmed'
        ? `cannot ${what}: revision ${latest.revision} of ${site} ${month} is confirmed and locked; amend it to start revision ${latest.revision + 1}`
        : `cannot ${what}: revision ${latest.revision} of ${site} ${month} is signed and awaits the customer's confirmation; amend it to change it`,
    );
  }

  setNotes(site: string, month: string, notes: string, by: string, now: number): Inspection {
    this.db.transaction(() => {
      const d = this.draft(site, month, by, now, 'change the notes');
      this.db.prepare('UPDATE inspections SET notes = ? WHERE id = ?').run(notes, d.id);
    }).immediate();
    return this.get(site, month);
  }

  /** The engineer's sign-off: freezes the rows as they are now. */
  sign(site: string, month: string, by: string, now: number): Inspection {
    this.db.transaction(() => {
      const d = this.draft(site, month, by, now, 'sign');
      const rows = this.assemble(site, month);
      if (rows.length === 0) throw conflict(`nothing to sign: ${site} has no devices or results in ${month}`);
      this.db
        .prepare(`UPDATE inspections SET status = 'signed', rows = ?, signed_by = ?, signed_at = ? WHERE id = ?`)
        .run(JSON.stringify(rows), by, now, d.id);
    }).immediate();
    return this.get(site, month);
  }

  /** The customer's confirmation: locks the revision. */
  confirm(site: string, month: string, by: string, now: number): Inspection {
    this.db.transaction(() => {
      monthBounds(month, this.zoneOf(site));
      const latest = this.s.latest.get(site, month);
      if (!latest || latest.status === 'draft') throw conflict(`cannot confirm ${site} ${month}: the engineer has not signed it`);
      if (latest.status === 'confirmed') throw conflict(`revision ${latest.revision} of ${site} ${month} is already confirmed`);
      this.db.prepare(`UPDATE inspections SET status = 'confirmed', confirmed_by = ?, confirmed_at = ? WHERE id = ?`).run(by, now, latest.id);
    }).immediate();
    return this.get(site, month);
  }

  /** An amendment: revision n+1, a draft with the notes carried over, after a sign-off. */
  amend(site: string, month: string, reason: string, by: string, now: number): Inspection {
    this.db.transaction(() => {
      monthBounds(month, this.zoneOf(site));
      const latest = this.s.latest.get(site, month);
      if (!latest || latest.status === 'draft') {
        throw conflict(`nothing to amend: ${site} ${month} is a draft (revision ${latest?.revision ?? 1}); change it directly`);
      }
      this.s.create.get(site, month, latest.revision + 1, latest.notes, reason, now, by);
    }).immediate();
    return this.get(site, month);
  }

  /**
   * Stores field inspections (the CLI's InspectionForm[]) for the month, idempotent by report id.
   * 400 when a form belongs to another site or month; 409 when new forms arrive for a month whose
   * latest revision is signed or confirmed (resending what was already stored is fine).
   */
  upload(site: string, month: string, forms: InspectionForm[], by: string, now: number): InspectionUploadResult {
    const { start, end } = monthBounds(month, this.zoneOf(site));
    return this.db.transaction(() => {
      const accepted: string[] = [];
      const duplicates: string[] = [];
      const fresh: InspectionForm[] = [];
      forms.forEach((form, i) => {
        const r = form.report;
        if (r.site !== undefined && r.site !== site) throw badRequest('wrong_site', `/body/${i}/report/site: ${r.site} is not ${site}`);
        const windowEnd = Date.parse(r.window.end);
        if (windowEnd < start || windowEnd >= end) {
          throw badRequest('wrong_month', `/body/${i}/report/window/end: ${r.window.end} is in ${monthOf(windowEnd, this.zoneOf(site))}, not ${month}`);
        }
        if (this.s.uploadSeen.get(r.id) || fresh.some((f) => f.report.id === r.id)) duplicates.push(r.id);
        else fresh.push(form);
      });
      if (fresh.length > 0) {
        const latest = this.s.latest.get(site, month);
        if (latest && latest.status !== 'draft') this.draft(site, month, by, now, 'add field inspections'); // throws the 409
      }
      for (const form of fresh) {
        const r = form.report;
        this.s.insertUpload.run(r.id, site, month, r.identity.hostname, r.identity.kind, Date.parse(r.window.end), JSON.stringify(form), now, by);
        accepted.push(r.id);
      }
      return { accepted, duplicates };
    }).immediate();
  }
}

function missingRow(device: string, kind: DeviceKind | null, check: CheckId, month: string): InspectionRow {
  return {
    device,
    deviceKind: kind,
    check,
    verdict: 'unknown',
    actual: '',
    expected: '',
    commands: [],
    reason: `no result in ${month}`,
    evaluatedAt: null,
    reportId: null,
    origin: 'none',
  };
}
