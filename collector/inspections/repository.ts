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
import type { Store } from '../storage/store.js';
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
  sign_remark: string | null;
  confirm_remark: string | null;
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
    ...(r.why ? { why: r.why } : {}),
    evaluatedAt: new Date(at).toISOString(),
    reportId,
    origin,
  };
}

const LATEST = 'SELECT * FROM inspections WHERE site = ? AND month = ? ORDER BY revision DESC LIMIT 1';
const REVISION = 'SELECT * FROM inspections WHERE site = ? AND month = ? AND revision = ?';
const LATEST_PUBLISHED = `SELECT revision FROM inspections WHERE site = ? AND month = ? AND status <> 'draft' ORDER BY revision DESC LIMIT 1`;
const REVISIONS = 'SELECT revision, status, confirmed_at FROM inspections WHERE site = ? AND month = ? ORDER BY revision';
const CREATE = `INSERT INTO inspections (site, month, revision, status, notes, amendment_reason, created_at, created_by)
  VALUES (?, ?, ?, 'draft', ?, ?, ?, ?) RETURNING *`;
/*
 * Each device of the site beside each check, with the latest result in the month, in one statement.
 * It was one query per device and check: 6,000 round trips for a 1,000-device site on every view of
 * the draft (a network round trip each on PostgreSQL). The check ids are the catalogue's constants.
 * The newest result of each check overall (results_latest) answers most months at once: none when it
 * is older than the month (or missing), itself when it falls in the month. Only a month with newer
 * results after it reads the device's results of the month, newest first, until the check's.
 */
const LATEST_RESULTS = `WITH c (check_id) AS (VALUES ${CHECK_IDS.map((c) => `('${c}')`).join(', ')})
  SELECT d.id, d.hostname, d.kind, d.first_seen, x.result, x.at, p.report_id
  FROM devices d JOIN sites s ON s.id = d.site_id CROSS JOIN c
  LEFT JOIN results_latest l ON l.device_id = d.id AND l.check_id = c.check_id
  LEFT JOIN results x ON x.id = CASE
    WHEN l.at IS NULL OR l.at < @start THEN NULL
    WHEN l.at < @end THEN l.result_id
    ELSE (SELECT r.id FROM results r WHERE r.device_id = d.id AND r.check_id = c.check_id AND r.at >= @start AND r.at < @end
          ORDER BY r.at DESC, r.id DESC LIMIT 1) END
  LEFT JOIN reports p ON p.id = x.report_id
  WHERE s.name = @site ORDER BY d.hostname, d.id`;
const UPLOADS = 'SELECT hostname, kind, window_end, form, report_id FROM inspection_uploads WHERE site = ? AND month = ?';
const UPLOAD_SEEN = 'SELECT report_id FROM inspection_uploads WHERE report_id = ?';
const INSERT_UPLOAD = `INSERT INTO inspection_uploads (report_id, site, month, hostname, kind, window_end, form, uploaded_at, uploaded_by)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** The monthly inspection record of a site: assembly, notes, sign-off, confirmation, revisions. */
export class InspectionsRepository {
  constructor(private readonly store: Store) {}

  /** The site's time zone: its months are cut at local midnight (a site not yet on record: the default). */
  private async zoneOf(site: string): Promise<string> {
    const row = await this.store.get<{ time_zone: string }>('SELECT time_zone FROM sites WHERE name = ?', [site]);
    return row?.time_zone ?? DEFAULT_TIME_ZONE;
  }

  /**
   * The month's rows: for every device × check, the latest result whose report window ended in
   * the month — from reports the collector received or field inspections uploaded, whichever is
   * later. A device on record with no result for a check gets an `unknown` row saying so.
   */
  async assemble(site: string, month: string): Promise<InspectionRow[]> {
    const { start, end } = monthBounds(month, await this.zoneOf(site));
    const best = new Map<string, Candidate>();
    const offer = (c: Candidate) => {
      const key = `${c.row.device}\u0000${c.row.check}`;
      const current = best.get(key);
      if (!current || c.at >= current.at) best.set(key, c);
    };
    const kinds = new Map<string, DeviceKind | null>();
    type Latest = { id: number; hostname: string; kind: DeviceKind; first_seen: number; result: string | null; at: number | null; report_id: string | null };
    const found = new Set<number>();
    const latest = await this.store.all<Latest>(LATEST_RESULTS, { start, end, site });
    for (const r of latest) {
      if (r.result === null || r.at === null) continue;
      found.add(r.id);
      offer({ row: rowFrom(r.hostname, r.kind, JSON.parse(r.result) as CheckResult, Number(r.at), r.report_id ?? '', 'report'), at: Number(r.at) });
    }
    // A device on record by the month's end belongs in its record even without results.
    for (const r of latest) if (found.has(r.id) || Number(r.first_seen) < end) kinds.set(r.hostname, r.kind);
    for (const u of await this.store.all<{ hostname: string; kind: DeviceKind | null; window_end: number; form: string; report_id: string }>(UPLOADS, [site, month])) {
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

  private latest(site: string, month: string): Promise<RawInspection | undefined> {
    return this.store.get<RawInspection>(LATEST, [site, month]);
  }

  /** The latest revision (a draft not yet stored is revision 1), or revision `n`. */
  async get(site: string, month: string, revision?: number): Promise<Inspection> {
    monthBounds(month, await this.zoneOf(site));
    const raw = revision === undefined ? await this.latest(site, month) : await this.store.get<RawInspection>(REVISION, [site, month, revision]);
    if (!raw && revision !== undefined && revision !== 1) throw notFound(`no revision ${revision} of ${site} ${month}`);
    const revisions = (await this.store.all<{ revision: number; status: InspectionStatus; confirmed_at: number | null }>(REVISIONS, [site, month])).map((r) => ({ revision: r.revision, status: r.status, confirmedAt: iso(r.confirmed_at) }));
    if (!raw) {
      return {
        site, month, revision: 1, status: 'draft', rows: await this.assemble(site, month), notes: '', amendmentReason: null,
        signedBy: null, signedAt: null, confirmedBy: null, confirmedAt: null, signRemark: null, confirmRemark: null, locked: false,
        revisions: revisions.length ? revisions : [{ revision: 1, status: 'draft', confirmedAt: null }],
      };
    }
    return {
      site,
      month,
      revision: raw.revision,
      status: raw.status,
      rows: raw.rows !== null ? (JSON.parse(raw.rows) as InspectionRow[]) : await this.assemble(site, month),
      notes: raw.notes,
      amendmentReason: raw.amendment_reason,
      signedBy: raw.signed_by,
      signedAt: iso(raw.signed_at),
      confirmedBy: raw.confirmed_by,
      confirmedAt: iso(raw.confirmed_at),
      signRemark: raw.sign_remark,
      confirmRemark: raw.confirm_remark,
      locked: raw.status === 'confirmed',
      revisions,
    };
  }

  /**
   * What a customer may read: the latest revision the engineer has signed (or revision `n` when it
   * is signed). A draft is the engineer's work in progress, not a record: 404 until it is signed,
   * so a customer cannot tell a draft's contents by URL or API.
   */
  async published(site: string, month: string, revision?: number): Promise<Inspection> {
    if (revision !== undefined) {
      const i = await this.get(site, month, revision);
      if (i.status === 'draft') throw notFound(`revision ${revision} of ${site} ${month} is a draft, not yet signed by the engineer`);
      return i;
    }
    monthBounds(month, await this.zoneOf(site));
    const signed = await this.store.get<{ revision: number }>(LATEST_PUBLISHED, [site, month]);
    if (!signed) throw notFound(`${site} ${month} has not been signed by the engineer yet`);
    return this.get(site, month, signed.revision);
  }

  /** Months with a stored record or an upload, newest first. */
  async months(site: string): Promise<{ month: string; revision: number; status: InspectionStatus }[]> {
    const rows = await this.store.all<{ month: string; revision: number }>(
      `SELECT month, max(revision) AS revision FROM (
         SELECT month, revision FROM inspections WHERE site = ?
         UNION ALL SELECT month, 1 FROM inspection_uploads WHERE site = ?) AS m
       GROUP BY month ORDER BY month DESC`,
      [site, site],
    );
    const out: { month: string; revision: number; status: InspectionStatus }[] = [];
    for (const r of rows) out.push({ ...r, status: (await this.store.get<RawInspection>(REVISION, [site, r.month, r.revision]))?.status ?? 'draft' });
    return out;
  }

  /** The draft to change: the latest revision when it is a draft (created on first use); 409 otherwise. */
  private async draft(site: string, month: string, by: string, now: number, what: string): Promise<RawInspection> {
    monthBounds(month, await this.zoneOf(site));
    const latest = await this.latest(site, month);
    if (!latest) return (await this.store.get<RawInspection>(CREATE, [site, month, 1, '', null, now, by]))!;
    if (latest.status === 'draft') return latest;
    throw conflict(
      latest.status === 'confirmed'
        ? `cannot ${what}: revision ${latest.revision} of ${site} ${month} is confirmed and locked; amend it to start revision ${latest.revision + 1}`
        : `cannot ${what}: revision ${latest.revision} of ${site} ${month} is signed and awaits the customer's confirmation; amend it to change it`,
      { key: 'inspectionLocked', args: { revision: latest.revision, status: latest.status } },
    );
  }

  async setNotes(site: string, month: string, notes: string, by: string, now: number): Promise<Inspection> {
    await this.store.transaction(async () => {
      const d = await this.draft(site, month, by, now, 'change the notes');
      await this.store.run('UPDATE inspections SET notes = ? WHERE id = ?', [notes, d.id]);
    });
    return this.get(site, month);
  }

  /** The engineer's sign-off: freezes the rows as they are now. */
  async sign(site: string, month: string, by: string, now: number, remark: string | null = null): Promise<Inspection> {
    await this.store.transaction(async () => {
      const d = await this.draft(site, month, by, now, 'sign');
      const rows = await this.assemble(site, month);
      if (rows.length === 0) throw conflict(`nothing to sign: ${site} has no devices or results in ${month}`, { key: 'nothingToSign', args: {} });
      await this.store.run(`UPDATE inspections SET status = 'signed', rows = ?, signed_by = ?, signed_at = ?, sign_remark = ? WHERE id = ?`, [JSON.stringify(rows), by, now, remark, d.id]);
    });
    return this.get(site, month);
  }

  /** The customer's confirmation: locks the revision. */
  async confirm(site: string, month: string, by: string, now: number, remark: string | null = null): Promise<Inspection> {
    await this.store.transaction(async () => {
      monthBounds(month, await this.zoneOf(site));
      const latest = await this.latest(site, month);
      if (!latest || latest.status === 'draft') throw conflict(`cannot confirm ${site} ${month}: the engineer has not signed it`, { key: 'notSignedYet', args: {} });
      if (latest.status === 'confirmed') throw conflict(`revision ${latest.revision} of ${site} ${month} is already confirmed`, { key: 'alreadyConfirmed', args: { revision: latest.revision } });
      await this.store.run(`UPDATE inspections SET status = 'confirmed', confirmed_by = ?, confirmed_at = ?, confirm_remark = ? WHERE id = ?`, [by, now, remark, latest.id]);
    });
    return this.get(site, month);
  }

  /** An amendment: revision n+1, a draft with the notes carried over, after a sign-off. */
  async amend(site: string, month: string, reason: string, by: string, now: number): Promise<Inspection> {
    await this.store.transaction(async () => {
      monthBounds(month, await this.zoneOf(site));
      const latest = await this.latest(site, month);
      if (!latest || latest.status === 'draft') {
        throw conflict(`nothing to amend: ${site} ${month} is a draft (revision ${latest?.revision ?? 1}); change it directly`, { key: 'nothingToAmend', args: {} });
      }
      await this.store.get(CREATE, [site, month, latest.revision + 1, latest.notes, reason, now, by]);
    });
    return this.get(site, month);
  }

  /**
   * Stores field inspections (the CLI's InspectionForm[]) for the month, idempotent by report id.
   * 400 when a form belongs to another site or month; 409 when new forms arrive for a month whose
   * latest revision is signed or confirmed (resending what was already stored is fine).
   */
  async upload(site: string, month: string, forms: InspectionForm[], by: string, now: number): Promise<InspectionUploadResult> {
    const zone = await this.zoneOf(site);
    const { start, end } = monthBounds(month, zone);
    return await this.store.transaction(async () => {
      const accepted: string[] = [];
      const duplicates: string[] = [];
      const fresh: InspectionForm[] = [];
      for (const [i, form] of forms.entries()) {
        const r = form.report;
        if (r.site !== undefined && r.site !== site) throw badRequest('wrong_site', `/body/${i}/report/site: ${r.site} is not ${site}`);
        const windowEnd = Date.parse(r.window.end);
        if (windowEnd < start || windowEnd >= end) {
          throw badRequest('wrong_month', `/body/${i}/report/window/end: ${r.window.end} is in ${monthOf(windowEnd, zone)}, not ${month}`);
        }
        if ((await this.store.get(UPLOAD_SEEN, [r.id])) || fresh.some((f) => f.report.id === r.id)) duplicates.push(r.id);
        else fresh.push(form);
      }
      if (fresh.length > 0) {
        const latest = await this.latest(site, month);
        if (latest && latest.status !== 'draft') await this.draft(site, month, by, now, 'add field inspections'); // throws the 409
      }
      for (const form of fresh) {
        const r = form.report;
        await this.store.run(INSERT_UPLOAD, [r.id, site, month, r.identity.hostname, r.identity.kind, Date.parse(r.window.end), JSON.stringify(form), now, by]);
        accepted.push(r.id);
      }
      return { accepted, duplicates };
    });
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
