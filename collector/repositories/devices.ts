import { ManualDevice, validate, type DeviceIdentity, type DeviceKind, type DeviceRecordPatch, type ThresholdSet } from '../../schemas/index.js';
import { conflict } from '../errors.js';
import type { Store } from '../storage/store.js';
import type { SiteRow } from './sites.js';
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
  /** Vendor, model and serial as on record: a person's entry, else as reported (like role). */
  vendor: string | null;
  model: string | null;
  serial: string | null;
  /** OS and its version as reported. */
  os: string | null;
  version: string | null;
  /** Firmware as on record: a person's entry, else the reported version. */
  firmware: string | null;
  /** What the device (agent, SNMP, BMC, field CLI) reported, kept apart from a person's entry. */
  reported: MeasuredIdentity;
  /** What a person entered (设备档案 by hand); null fields were not entered. */
  entered: EnteredIdentity;
  /** Put on record by a person rather than by a report (it may never report). */
  manual: boolean;
  /** Something reports for it (a report or an agent's heartbeat): else it is not monitored. */
  monitored: boolean;
  location: string | null;
  /** YYYY-MM-DD */
  warrantyUntil: string | null;
  contractUntil: string | null;
  recordBy: string | null;
  recordAt: number | null;
  /** A person's upgrade verdict, if any. */
  upgrade: UpgradeVerdict | null;
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

export interface MeasuredIdentity {
  vendor: string | null;
  model: string | null;
  serial: string | null;
  version: string | null;
}
export interface EnteredIdentity {
  vendor: string | null;
  model: string | null;
  serial: string | null;
  firmware: string | null;
}
export interface UpgradeVerdict {
  needed: boolean;
  reason: string | null;
  by: string;
  at: number;
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
  manual: number;
  entered_vendor: string | null;
  entered_model: string | null;
  entered_serial: string | null;
  entered_firmware: string | null;
  location: string | null;
  warranty_until: string | null;
  contract_until: string | null;
  record_by: string | null;
  record_at: number | null;
  upgrade_needed: number | null;
  upgrade_reason: string | null;
  upgrade_by: string | null;
  upgrade_at: number | null;
}

const fromRaw = (r: RawDevice): DeviceRow => ({
  id: r.id,
  siteId: r.site_id,
  site: r.site,
  hostname: r.hostname,
  kind: r.kind as DeviceKind,
  role: r.role ?? r.reported_role,
  reportedRole: r.reported_role,
  vendor: r.entered_vendor ?? r.vendor,
  model: r.entered_model ?? r.model,
  serial: r.entered_serial ?? r.serial,
  os: r.os,
  version: r.version,
  firmware: r.entered_firmware ?? r.version,
  reported: { vendor: r.vendor, model: r.model, serial: r.serial, version: r.version },
  entered: { vendor: r.entered_vendor, model: r.entered_model, serial: r.entered_serial, firmware: r.entered_firmware },
  manual: r.manual === 1,
  monitored: r.last_report_at !== null || r.last_heartbeat_at !== null,
  location: r.location,
  warrantyUntil: r.warranty_until,
  contractUntil: r.contract_until,
  recordBy: r.record_by,
  recordAt: r.record_at,
  upgrade: r.upgrade_needed === null ? null : { needed: r.upgrade_needed === 1, reason: r.upgrade_reason, by: r.upgrade_by ?? '', at: r.upgrade_at ?? 0 },
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
    firmware: d.firmware,
    reported: d.reported,
    entered: d.entered,
    /** Fields where a person's entry and the measured value differ (both are shown, flagged). */
    differences: recordDifferences(d),
    manual: d.manual,
    monitored: d.monitored,
    location: d.location,
    warrantyUntil: d.warrantyUntil,
    contractUntil: d.contractUntil,
    recordBy: d.recordBy,
    recordAt: iso(d.recordAt),
    upgrade: d.upgrade && { ...d.upgrade, at: iso(d.upgrade.at) },
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

/** Serials and models are compared as people read them: case, spaces and dashes aside. */
const sameValue = (a: string, b: string): boolean => a.replace(/[\s-]+/g, '').toUpperCase() === b.replace(/[\s-]+/g, '').toUpperCase();

export type RecordField = 'vendor' | 'model' | 'serial' | 'firmware';

/** The fields where a person entered one value and the device reports another. */
export function recordDifferences(d: Pick<DeviceRow, 'reported' | 'entered'>): RecordField[] {
  const pairs: [RecordField, string | null, string | null][] = [
    ['vendor', d.entered.vendor, d.reported.vendor],
    ['model', d.entered.model, d.reported.model],
    ['serial', d.entered.serial, d.reported.serial],
    ['firmware', d.entered.firmware, d.reported.version],
  ];
  return pairs.filter(([, entered, measured]) => entered !== null && measured !== null && !sameValue(entered, measured)).map(([f]) => f);
}

/** What `createManual` takes: the tickets' "device not yet on record" gives hostname and kind only. */
export type ManualDeviceEntry = ManualDevice & { by?: string };

const SELECT = 'SELECT d.*, s.name AS site, s.expected_interval_s AS site_interval_s FROM devices d JOIN sites s ON s.id = d.site_id';

export class DevicesRepository {
  private readonly upsertReport: string;
  private readonly upsertHeartbeat: string;

  constructor(private readonly store: Store) {
    const greatest = store.dialect.greatest;
    // A report refreshes the identity; fields the source did not send keep their last value.
    this.upsertReport = `INSERT INTO devices (site_id, hostname, kind, reported_role, vendor, model, serial, os, version, addresses,
                            last_source, first_seen, last_seen, last_report_at)
       VALUES (@siteId, @hostname, @kind, @role, @vendor, @model, @serial, @os, @version, @addresses,
               @source, @now, @now, @now)
       ON CONFLICT (site_id, hostname) DO UPDATE SET
         kind = excluded.kind,
         reported_role = coalesce(excluded.reported_role, devices.reported_role),
         vendor = coalesce(excluded.vendor, devices.vendor),
         model = coalesce(excluded.model, devices.model),
         serial = coalesce(excluded.serial, devices.serial),
         os = coalesce(excluded.os, devices.os),
         version = coalesce(excluded.version, devices.version),
         addresses = CASE WHEN excluded.addresses = '[]' THEN devices.addresses ELSE excluded.addresses END,
         last_source = excluded.last_source,
         last_seen = ${greatest('coalesce(devices.last_seen, 0)', 'excluded.last_seen')},
         last_report_at = ${greatest('coalesce(devices.last_report_at, 0)', 'excluded.last_report_at')}
       RETURNING *`;
    this.upsertHeartbeat = `INSERT INTO devices (site_id, hostname, kind, agent_id, first_seen, last_seen, last_heartbeat_at)
       VALUES (@siteId, @hostname, 'server', @agentId, @now, @now, @now)
       ON CONFLICT (site_id, hostname) DO UPDATE SET
         agent_id = excluded.agent_id,
         last_seen = ${greatest('coalesce(devices.last_seen, 0)', 'excluded.last_seen')},
         last_heartbeat_at = excluded.last_heartbeat_at
       RETURNING id`;
  }

  /**
   * Puts a device on record by hand (a storage array, a tape library, an air conditioner, a device
   * with a fault but no agent yet). It has no measured values until something reports for it; a
   * later report for the same hostname fills the measured columns and leaves the entered ones.
   * The site is created if it has none yet. 409 when the hostname is already on record there.
   */
  async createManual(site: string, entry: ManualDeviceEntry, now = Date.now()): Promise<DeviceRow> {
    const { by, ...fields } = entry;
    const e = validate(ManualDevice, fields, 'device');
    if (await this.get(site, e.hostname)) throw conflict(`device ${e.hostname} is already on record at site ${site}`);
    const siteId =
      (await this.store.get<{ id: number }>('SELECT id FROM sites WHERE name = ?', [site]))?.id ??
      (await this.store.get<{ id: number }>('INSERT INTO sites (name, created_at) VALUES (?, ?) RETURNING id', [site, now]))!.id;
    const { id } = (await this.store.get<{ id: number }>(
      `INSERT INTO devices (site_id, hostname, kind, role, entered_vendor, entered_model, entered_serial, entered_firmware,
                            location, warranty_until, contract_until, notes, manual, record_by, record_at, first_seen)
       VALUES (@siteId, @hostname, @kind, @role, @vendor, @model, @serial, @firmware,
               @location, @warrantyUntil, @contractUntil, @notes, 1, @by, @now, @now)
       RETURNING id`,
      {
        siteId,
        hostname: e.hostname,
        kind: e.kind,
        role: e.role ?? null,
        vendor: e.vendor ?? null,
        model: e.model ?? null,
        serial: e.serial ?? null,
        firmware: e.firmware ?? null,
        location: e.location ?? null,
        warrantyUntil: e.warrantyUntil ?? null,
        contractUntil: e.contractUntil ?? null,
        notes: e.notes ?? null,
        by: by ?? null,
        now,
      },
    ))!;
    return (await this.getById(id))!;
  }

  /**
   * A person's edit of the record: entered identity, location, dates, notes, role, and the
   * settings `update` takes. Kind changes only on a device put on record by hand.
   */
  async updateRecord(id: number, patch: DeviceRecordPatch, by: string, now: number): Promise<DeviceRow | undefined> {
    const device = await this.getById(id);
    if (!device) return undefined;
    if (patch.kind !== undefined && patch.kind !== device.kind && !device.manual) {
      throw conflict(`device ${device.hostname} reports its kind (${device.kind}); only a device put on record by hand changes kind`);
    }
    const set = (k: keyof DeviceRecordPatch) => (patch[k] !== undefined ? 1 : 0);
    await this.store.run(
      `UPDATE devices SET
         kind = CASE WHEN @setKind = 1 THEN CAST(@kind AS TEXT) ELSE kind END,
         entered_vendor = CASE WHEN @setVendor = 1 THEN CAST(@vendor AS TEXT) ELSE entered_vendor END,
         entered_model = CASE WHEN @setModel = 1 THEN CAST(@model AS TEXT) ELSE entered_model END,
         entered_serial = CASE WHEN @setSerial = 1 THEN CAST(@serial AS TEXT) ELSE entered_serial END,
         entered_firmware = CASE WHEN @setFirmware = 1 THEN CAST(@firmware AS TEXT) ELSE entered_firmware END,
         location = CASE WHEN @setLocation = 1 THEN CAST(@location AS TEXT) ELSE location END,
         warranty_until = CASE WHEN @setWarranty = 1 THEN CAST(@warrantyUntil AS TEXT) ELSE warranty_until END,
         contract_until = CASE WHEN @setContract = 1 THEN CAST(@contractUntil AS TEXT) ELSE contract_until END,
         record_by = @by,
         record_at = @now
       WHERE id = @id`,
      {
        id,
        setKind: set('kind'),
        kind: patch.kind ?? device.kind,
        setVendor: set('vendor'),
        vendor: patch.vendor ?? null,
        setModel: set('model'),
        model: patch.model ?? null,
        setSerial: set('serial'),
        serial: patch.serial ?? null,
        setFirmware: set('firmware'),
        firmware: patch.firmware ?? null,
        setLocation: set('location'),
        location: patch.location ?? null,
        setWarranty: set('warrantyUntil'),
        warrantyUntil: patch.warrantyUntil ?? null,
        setContract: set('contractUntil'),
        contractUntil: patch.contractUntil ?? null,
        by,
        now,
      },
    );
    const { role, notes, thresholds, expectedIntervalS } = patch;
    if (role !== undefined || notes !== undefined || thresholds !== undefined || expectedIntervalS !== undefined) {
      await this.update(id, { ...(role !== undefined ? { role } : {}), ...(notes !== undefined ? { notes } : {}), ...(thresholds !== undefined ? { thresholds } : {}), ...(expectedIntervalS !== undefined ? { expectedIntervalS } : {}) });
    }
    return this.getById(id);
  }

  /** A person's upgrade verdict; `needed: null` clears it. */
  async setUpgrade(id: number, needed: boolean | null, reason: string | null, by: string, now: number): Promise<DeviceRow | undefined> {
    await this.store.run(
      'UPDATE devices SET upgrade_needed = @needed, upgrade_reason = @reason, upgrade_by = @by, upgrade_at = @at WHERE id = @id',
      { id, needed: needed === null ? null : needed ? 1 : 0, reason: needed === null ? null : reason, by: needed === null ? null : by, at: needed === null ? null : now },
    );
    return this.getById(id);
  }

  /**
   * Registers or refreshes the device a report is about; returns its row. The upsert returns the
   * row itself and the site's part comes from the site the caller holds: one statement per
   * report, not a second read of the device joined to its site (ingest's hot path).
   */
  async seenInReport(site: Pick<SiteRow, 'id' | 'name' | 'expectedIntervalS'>, identity: DeviceIdentity, source: string, now: number): Promise<DeviceRow> {
    const row = (await this.store.get<Omit<RawDevice, 'site' | 'site_interval_s'>>(this.upsertReport, {
      siteId: site.id,
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
    }))!;
    // The row is ours to complete: `{ ...row, site, … }` would cost ~1 µs a report on Node 20 (becauseWith, checks/words/reasons.ts).
    return fromRaw(Object.assign(row, { site: site.name, site_interval_s: site.expectedIntervalS }));
  }

  /** An agent's sign of life: the host is up even when it has nothing new to report. */
  async heartbeat(siteId: number, hostname: string, agentId: string, now: number): Promise<DeviceRow> {
    const { id } = (await this.store.get<{ id: number }>(this.upsertHeartbeat, { siteId, hostname, agentId, now }))!;
    return (await this.getById(id))!;
  }

  async getById(id: number): Promise<DeviceRow | undefined> {
    const r = await this.store.get<RawDevice>(`${SELECT} WHERE d.id = ?`, [id]);
    return r && fromRaw(r);
  }

  async get(site: string, hostname: string): Promise<DeviceRow | undefined> {
    const r = await this.store.get<RawDevice>(`${SELECT} WHERE s.name = ? AND d.hostname = ?`, [site, hostname]);
    return r && fromRaw(r);
  }

  async listBySite(site: string): Promise<DeviceRow[]> {
    return (await this.store.all<RawDevice>(`${SELECT} WHERE s.name = ? ORDER BY d.hostname`, [site])).map(fromRaw);
  }

  async list(): Promise<DeviceRow[]> {
    return (await this.store.all<RawDevice>(`${SELECT} ORDER BY s.name, d.hostname`)).map(fromRaw);
  }

  async update(id: number, patch: DevicePatch): Promise<DeviceRow | undefined> {
    await this.store.run(
      `UPDATE devices SET
         role = CASE WHEN @setRole = 1 THEN CAST(@role AS TEXT) ELSE role END,
         notes = CASE WHEN @setNotes = 1 THEN CAST(@notes AS TEXT) ELSE notes END,
         expected_interval_s = CASE WHEN @setInterval = 1 THEN CAST(@interval AS BIGINT) ELSE expected_interval_s END,
         thresholds = CASE WHEN @setThresholds = 1 THEN CAST(@thresholds AS TEXT) ELSE thresholds END
       WHERE id = @id`,
      {
        id,
        setRole: patch.role !== undefined ? 1 : 0,
        role: patch.role ?? null,
        setNotes: patch.notes !== undefined ? 1 : 0,
        notes: patch.notes ?? null,
        setInterval: patch.expectedIntervalS !== undefined ? 1 : 0,
        interval: patch.expectedIntervalS ?? null,
        setThresholds: patch.thresholds !== undefined ? 1 : 0,
        thresholds: patch.thresholds && Object.keys(patch.thresholds).length > 0 ? JSON.stringify(patch.thresholds) : null,
      },
    );
    return this.getById(id);
  }
}
