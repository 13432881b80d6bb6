import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/db.js';

/** One firmware/version step of a device: measured (a report changed it) or written by a person. */
export interface FirmwareStep {
  at: number;
  os: string | null;
  version: string | null;
  origin: 'report' | 'person';
  /** The report's source (agent, snmp, bmc…) for measured steps. */
  source: string | null;
  by: string | null;
  note: string | null;
}

export interface BaselineRow {
  model: string;
  firmware: string;
  note: string | null;
  setBy: string;
  setAt: number;
}

/**
 * Firmware history and per-model baselines. The measured steps are written by the triggers of
 * migration 070 inside the ingest statement; this repository reads them and adds the steps and
 * baselines people write.
 */
export class FirmwareRepository {
  private readonly history: Statement<[number, number], { at: number; os: string | null; version: string | null; origin: 'report' | 'person'; source: string | null; by: string | null; note: string | null }>;
  private readonly addStep: Statement<[number, number, string, string, string | null]>;
  private readonly baselines: Statement<[string], { model: string; firmware: string; note: string | null; set_by: string; set_at: number }>;
  private readonly putBaseline: Statement<Record<string, unknown>>;
  private readonly dropBaseline: Statement<[string, string]>;

  constructor(db: Db) {
    this.history = db.prepare('SELECT at, os, version, origin, source, by, note FROM device_firmware WHERE device_id = ? ORDER BY at DESC, id DESC LIMIT ?');
    this.addStep = db.prepare("INSERT INTO device_firmware (device_id, at, version, origin, by, note) VALUES (?, ?, ?, 'person', ?, ?)");
    this.baselines = db.prepare(
      'SELECT b.model, b.firmware, b.note, b.set_by, b.set_at FROM firmware_baselines b JOIN sites s ON s.id = b.site_id WHERE s.name = ? ORDER BY b.model',
    );
    this.putBaseline = db.prepare(
      `INSERT INTO firmware_baselines (site_id, model, firmware, note, set_by, set_at)
       SELECT id, @model, @firmware, @note, @by, @at FROM sites WHERE name = @site
       ON CONFLICT (site_id, model) DO UPDATE SET firmware = excluded.firmware, note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at`,
    );
    this.dropBaseline = db.prepare('DELETE FROM firmware_baselines WHERE model = ? AND site_id = (SELECT id FROM sites WHERE name = ?)');
  }

  /** Newest first. */
  historyOf(deviceId: number, limit = 100): FirmwareStep[] {
    return this.history.all(deviceId, limit);
  }

  /** A step written by hand: who and when are kept with it. */
  record(deviceId: number, firmware: string, at: number, by: string, note: string | null): void {
    this.addStep.run(deviceId, at, firmware, by, note);
  }

  baselinesOf(site: string): BaselineRow[] {
    return this.baselines.all(site).map((b) => ({ model: b.model, firmware: b.firmware, note: b.note, setBy: b.set_by, setAt: b.set_at }));
  }

  setBaseline(site: string, model: string, firmware: string, note: string | null, by: string, at: number): void {
    this.putBaseline.run({ site, model, firmware, note, by, at });
  }

  removeBaseline(site: string, model: string): boolean {
    return this.dropBaseline.run(model, site).changes > 0;
  }
}
