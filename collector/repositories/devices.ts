import type { Statement } from 'better-sqlite3';
import type { DeviceIdentity, DeviceKind, ThresholdSet } from '../../schemas/index.js';
import type { Db } from '../storage/db.js';
import { iso, parseJson } from './json.js';

/** A device of the equipment record (设备档案). Times are epoch ms. */
export interface DeviceRow {
  id: number;
  siteId: number;
  site: string;
  hostname: string;
  kind: DeviceKind;
  /** The effective role: set by a person, else as reported. */
  role: string | null;
  reportedRole: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  os: string | null;
  version: string | null;
  addresses: string[];
  notes: string | null;
  /** Expected report interval in seconds as set on the device. */
  expectedIntervalS: number | null;
  /** The interval that applies: the device's, else the site's, else null (not watched for silence). */
  effectiveIntervalS: number | null;
  thresholds: ThresholdSet | undefined;
  lastSource: string | null;
  agentId: string | null;
  firstSeen: number;
  lastSeen: number | null;
  lastReportAt: number | null;
  lastHeartbeatAt: number | null;
}

interface RawDevice {
  id: number;
  site_id: number;
  site: string;
  hostname: string;
  kind: string;
  reported_role: string | null;
  role: string | null;
  vendor: string | null;
  model: string | null;
  serial: string | null;
  os: string | null;
  version: string | null;
  addresses: string;
  notes: string | null;
  expected_interval_s: number | null;
  thresholds: string | null;
  last_source: string | null;
  agent_id: string | null;
  first_seen: number;
  last_seen: number | null;
  last_report_at: number | null;
  last_heartbeat_at: number | null;
  site_interval_s: number | null;
}

const fromRaw = (r: RawDevice): DeviceRow => ({
  id: r.id,
  siteId: r.site_id,
  site: r.site,
  hostname: r.hostname,
  kind: r.kind as DeviceKind,
  role: r.role ?? r.reported_role,
  reportedRole: r.reported_role,
  vendor: r.vendor,
  model: r.model,
  serial: r.serial,
  os: r.os,
  version: r.version,
  addresses: JSON.parse(r.addresses) as string[],
  notes: r.notes,
  expectedIntervalS: r.expected_interval_s,
  effectiveIntervalS: r.expected_interval_s ?? r.site_interval_s,
  thresholds: parseJson<ThresholdSet>(r.thresholds),
  lastSource: r.last_source,
  agentId: r.agent_id,
  firstSeen: r.first_seen,
  lastSeen: r.last_seen,
  lastReportAt: r.last_report_at,
  lastHeartbeatAt: r.last_heartbeat_at,
});

export interface DevicePatch {
  role?: string | null;
  notes?: string | null;
  expectedIntervalS?: number | null;
  thresholds?: ThresholdSet;
}

/** The API's view of a device. */
export function deviceJson(d: DeviceRow) {
  return {
    id: d.id,
    site: d.site,
    hostname: d.hostname,
    kind: d.kind,
    role: d.role,
    reportedRole: d.reportedRole,
    vendor: d.vendor,
    model: d.model,
    serial: d.serial,
    os: d.os,
    version: d.version,
    addresses: d.addresses,
    notes: d.notes,
    expectedIntervalS: d.expectedIntervalS,
    effectiveIntervalS: d.effectiveIntervalS,
    thresholds: d.thresholds ?? null,
    lastSource: d.lastSource,
    agentId: d.agentId,
    firstSeen: iso(d.firstSeen),
    lastSeen: iso(d.lastSeen),
    lastReportAt: iso(d.lastReportAt),
    lastHeartbeatAt: iso(d.lastHeartbeatAt),
  };
}

const SELECT = 'SELECT d.*, s.name AS site, s.expected_interval_s AS site_interval_s FROM devices d JOIN sites s ON s.id = d.site_id';

export class DevicesRepository {
  private readonly upsertReport: Statement<Record<string, unknown>, { id: number }>;
  private readonly upsertHeartbeat: Statement<Record<string, unknown>, { id: number }>;
  private readonly byId: Statement<[number], RawDevice>;
  private readonly byName: Statement<[string, string], RawDevice>;
  private readonly bySite: Statement<[string], RawDevice>;
  private readonly all: Statement<[], RawDevice>;
  private readonly patchStmt: Statement<Record<string, unknown>>;

  constructor(private readonly db: Db) {
    // A report refreshes the identity; fields the source did not send keep their last value.
    this.upsertReport = db.prepare(
      `INSERT INTO devices (site_id, hostname, kind, reported_role, vendor, model, serial, os, version, addresses,
                            last_source, first_seen, last_seen, last_report_at)
       VALUES (@siteId, @hostname, @kind, @role, @vendor, @model, @serial, @os, @version, @addresses,
               @source, @now, @now, @now)
       ON CONFLICT (site_id, hostname) DO UPDATE SET
         kind = excluded.kind,
         reported_role = coalesce(excluded.reported_role, reported_role),
         vendor = coalesce(excluded.vendor, vendor),
         model = coalesce(excluded.model, model),
         serial = coalesce(excluded.serial, serial),
         os = coalesce(excluded.os, os),
         version = coalesce(excluded.version, version),
         addresses = CASE WHEN excluded.addresses = '[]' THEN addresses ELSE excluded.addresses END,
         last_source = excluded.last_source,
         last_seen = max(coalesce(last_seen, 0), excluded.last_seen),
         last_report_at = max(coalesce(last_report_at, 0), excluded.last_report_at)
       RETURNING id`,
    );
    this.upsertHeartbeat = db.prepare(
      `INSERT INTO devices (site_id, hostname, kind, agent_id, first_seen, last_seen, last_heartbeat_at)
       VALUES (@siteId, @hostname, 'server', @agentId, @now, @now, @now)
       ON CONFLICT (site_id, hostname) DO UPDATE SET
         agent_id = excluded.agent_id,
         last_seen = max(coalesce(last_seen, 0), excluded.last_seen),
         last_heartbeat_at = excluded.last_heartbeat_at
       RETURNING id`,
    );
    this.byId = db.prepare(`${SELECT} WHERE d.id = ?`);
    this.byName = db.prepare(`${SELECT} WHERE s.name = ? AND d.hostname = ?`);
    this.bySite = db.prepare(`${SELECT} WHERE s.name = ? ORDER BY d.hostname`);
    this.all = db.prepare(`${SELECT} ORDER BY s.name, d.hostname`);
    this.patchStmt = db.prepare(
      `UPDATE devices SET
         role = CASE WHEN @setRole THEN @role ELSE role END,
         notes = CASE WHEN @setNotes THEN @notes ELSE notes END,
         expected_interval_s = CASE WHEN @setInterval THEN @interval ELSE expected_interval_s END,
         thresholds = CASE WHEN @setThresholds THEN @thresholds ELSE thresholds END
       WHERE id = @id`,
    );
  }

  /** Registers or refreshes the device a report is about; returns its row. */
  seenInReport(siteId: number, identity: DeviceIdentity, source: string, now: number): DeviceRow {
    const { id } = this.upsertReport.get({
      siteId,
      hostname: identity.hostname,
      kind: identity.kind,
      role: identity.role ?? null,
      vendor: identity.vendor ?? null,
      model: identity.model ?? null,
      serial: identity.serial ?? null,
      os: identity.os ?? null,
      version: identity.version ?? null,
      addresses: JSON.stringify(identity.addresses ?? []),
      source,
      now,
    })!;
    return this.getById(id)!;
  }

  /**
   * A device entered by a person (not yet reported by any source): e.g. the device of a fault
   * reported by phone. Returns the existing row when the hostname is already on record.
   * Minimal version for tickets; the equipment record's fuller one (branch equipment) replaces it.
   */
  createManual(site: string, entry: { hostname: string; kind: string; model?: string | null }): DeviceRow {
    const existing = this.get(site, entry.hostname);
    if (existing) return existing;
    const siteRow = this.db.prepare('SELECT id FROM sites WHERE name = ?').get(site) as { id: number } | undefined;
    if (!siteRow) throw new Error(`no site ${site}`);
    const { id } = this.db
      .prepare(`INSERT INTO devices (site_id, hostname, kind, model, addresses, first_seen) VALUES (?, ?, ?, ?, '[]', ?) RETURNING id`)
      .get(siteRow.id, entry.hostname, entry.kind, entry.model ?? null, Date.now()) as { id: number };
    return this.getById(id)!;
  }

  /** An agent's sign of life: the host is up even when it has nothing new to report. */
  heartbeat(siteId: number, hostname: string, agentId: string, now: number): DeviceRow {
    const { id } = this.upsertHeartbeat.get({ siteId, hostname, agentId, now })!;
    return this.getById(id)!;
  }

  getById(id: number): DeviceRow | undefined {
    const r = this.byId.get(id);
    return r && fromRaw(r);
  }

  get(site: string, hostname: string): DeviceRow | undefined {
    const r = this.byName.get(site, hostname);
    return r && fromRaw(r);
  }

  listBySite(site: string): DeviceRow[] {
    return this.bySite.all(site).map(fromRaw);
  }

  list(): DeviceRow[] {
    return this.all.all().map(fromRaw);
  }

  update(id: number, patch: DevicePatch): DeviceRow | undefined {
    this.patchStmt.run({
      id,
      setRole: patch.role !== undefined ? 1 : 0,
      role: patch.role ?? null,
      setNotes: patch.notes !== undefined ? 1 : 0,
      notes: patch.notes ?? null,
      setInterval: patch.expectedIntervalS !== undefined ? 1 : 0,
      interval: patch.expectedIntervalS ?? null,
      setThresholds: patch.thresholds !== undefined ? 1 : 0,
      thresholds: patch.thresholds && Object.keys(patch.thresholds).length > 0 ? JSON.stringify(patch.thresholds) : null,
    });
    return this.getById(id);
  }
}
