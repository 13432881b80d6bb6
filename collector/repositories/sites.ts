import type { Statement } from 'better-sqlite3';
import { DEFAULT_TIME_ZONE } from '../../checks/calendar.js';
import type { ThresholdOverrides } from '../../schemas/index.js';
import type { Db } from '../storage/db.js';
import { iso, parseJson } from './json.js';

export interface SiteRow {
  id: number;
  name: string;
  title: string | null;
  notes: string | null;
  thresholds: ThresholdOverrides | undefined;
  expectedIntervalS: number | null;
  /** IANA name: months are cut and times printed in it. */
  timeZone: string;
  createdAt: number;
  lastSeen: number | null;
}

interface RawSite {
  id: number;
  name: string;
  title: string | null;
  notes: string | null;
  thresholds: string | null;
  expected_interval_s: number | null;
  time_zone: string;
  created_at: number;
  last_seen: number | null;
}

const fromRaw = (r: RawSite): SiteRow => ({
  id: r.id,
  name: r.name,
  title: r.title,
  notes: r.notes,
  thresholds: parseJson<ThresholdOverrides>(r.thresholds),
  expectedIntervalS: r.expected_interval_s,
  timeZone: r.time_zone,
  createdAt: r.created_at,
  lastSeen: r.last_seen,
});

export interface SitePatch {
  title?: string | null;
  notes?: string | null;
  thresholds?: ThresholdOverrides;
  expectedIntervalS?: number | null;
  /** Canonical IANA name (validated by the caller). */
  timeZone?: string;
}

/** The API's view of a site. */
export function siteJson(s: SiteRow) {
  return {
    name: s.name,
    title: s.title,
    notes: s.notes,
    thresholds: s.thresholds ?? null,
    expectedIntervalS: s.expectedIntervalS,
    timeZone: s.timeZone,
    createdAt: iso(s.createdAt),
    lastSeen: iso(s.lastSeen),
  };
}

export class SitesRepository {
  private readonly byName: Statement<[string], RawSite>;
  private readonly seen: Statement<[string, number, number], RawSite>;
  private readonly all: Statement<[], RawSite>;
  private readonly patchStmt: Statement<Record<string, unknown>>;

  constructor(private readonly db: Db) {
    this.byName = db.prepare('SELECT * FROM sites WHERE name = ?');
    this.seen = db.prepare(
      `INSERT INTO sites (name, created_at, last_seen) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET last_seen = max(coalesce(last_seen, 0), excluded.last_seen)
       RETURNING *`,
    );
    this.all = db.prepare('SELECT * FROM sites ORDER BY name');
    this.patchStmt = db.prepare(
      `UPDATE sites SET
         title = CASE WHEN @setTitle THEN @title ELSE title END,
         notes = CASE WHEN @setNotes THEN @notes ELSE notes END,
         thresholds = CASE WHEN @setThresholds THEN @thresholds ELSE thresholds END,
         expected_interval_s = CASE WHEN @setInterval THEN @interval ELSE expected_interval_s END,
         time_zone = coalesce(@timeZone, time_zone)
       WHERE name = @name`,
    );
  }

  get(name: string): SiteRow | undefined {
    const r = this.byName.get(name);
    return r && fromRaw(r);
  }

  /** The site's time zone, in which every time a person reads is printed; the default for a site not yet on record. */
  timeZoneOf(name: string): string {
    return this.byName.get(name)?.time_zone ?? DEFAULT_TIME_ZONE;
  }

  /** Registers the site on first sight and records that it was heard from. */
  seenAt(name: string, now: number): SiteRow {
    return fromRaw(this.seen.get(name, now, now)!);
  }

  /** Creates the site if it does not exist (e.g. from the API), without touching last_seen. */
  ensure(name: string, now: number): SiteRow {
    return this.get(name) ?? fromRaw(this.db.prepare('INSERT INTO sites (name, created_at) VALUES (?, ?) RETURNING *').get(name, now) as RawSite);
  }

  list(): SiteRow[] {
    return this.all.all().map(fromRaw);
  }

  update(name: string, patch: SitePatch): SiteRow | undefined {
    this.patchStmt.run({
      name,
      setTitle: patch.title !== undefined ? 1 : 0,
      title: patch.title ?? null,
      setNotes: patch.notes !== undefined ? 1 : 0,
      notes: patch.notes ?? null,
      setThresholds: patch.thresholds !== undefined ? 1 : 0,
      thresholds: patch.thresholds && Object.keys(patch.thresholds).length > 0 ? JSON.stringify(patch.thresholds) : null,
      setInterval: patch.expectedIntervalS !== undefined ? 1 : 0,
      interval: patch.expectedIntervalS ?? null,
      timeZone: patch.timeZone ?? null,
    });
    return this.get(name);
  }
}
