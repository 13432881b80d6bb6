import type { Store } from '../storage/store.js';

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
  constructor(private readonly store: Store) {}

  /** Newest first. */
  historyOf(deviceId: number, limit = 100): Promise<FirmwareStep[]> {
    return this.store.all<FirmwareStep>('SELECT at, os, version, origin, source, by, note FROM device_firmware WHERE device_id = ? ORDER BY at DESC, id DESC LIMIT ?', [deviceId, limit]);
  }

  /** A step written by hand: who and when are kept with it. */
  async record(deviceId: number, firmware: string, at: number, by: string, note: string | null): Promise<void> {
    await this.store.run("INSERT INTO device_firmware (device_id, at, version, origin, by, note) VALUES (?, ?, ?, 'person', ?, ?)", [deviceId, at, firmware, by, note]);
  }

  async baselinesOf(site: string): Promise<BaselineRow[]> {
    const rows = await this.store.all<{ model: string; firmware: string; note: string | null; set_by: string; set_at: number }>(
      'SELECT b.model, b.firmware, b.note, b.set_by, b.set_at FROM firmware_baselines b JOIN sites s ON s.id = b.site_id WHERE s.name = ? ORDER BY b.model',
      [site],
    );
    return rows.map((b) => ({ model: b.model, firmware: b.firmware, note: b.note, setBy: b.set_by, setAt: b.set_at }));
  }

  /** The parameters are cast: PostgreSQL cannot type a bare parameter in a SELECT list. */
  async setBaseline(site: string, model: string, firmware: string, note: string | null, by: string, at: number): Promise<void> {
    await this.store.run(
      `INSERT INTO firmware_baselines (site_id, model, firmware, note, set_by, set_at)
       SELECT id, CAST(@model AS TEXT), CAST(@firmware AS TEXT), CAST(@note AS TEXT), CAST(@by AS TEXT), CAST(@at AS BIGINT) FROM sites WHERE name = @site
       ON CONFLICT (site_id, model) DO UPDATE SET firmware = excluded.firmware, note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at`,
      { site, model, firmware, note, by, at },
    );
  }

  async removeBaseline(site: string, model: string): Promise<boolean> {
    return (await this.store.run('DELETE FROM firmware_baselines WHERE model = ? AND site_id = (SELECT id FROM sites WHERE name = ?)', [model, site])).changes > 0;
  }
}
