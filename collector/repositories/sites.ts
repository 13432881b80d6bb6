import { DEFAULT_TIME_ZONE } from '../../checks/calendar.js';
import type { ThresholdOverrides } from '../../schemas/index.js';
import type { Store } from '../storage/store.js';
import { iso, parseJson } from './json.js';

export interface SiteRow {
  id: number;
  name: string;
  title: string | null;
  /** The service contract's number, printed on report covers; null: not on record. */
  contractNo: string | null;
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
  contract_no: string | null;
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
  contractNo: r.contract_no ?? null,
  notes: r.notes,
  thresholds: parseJson<ThresholdOverrides>(r.thresholds),
  expectedIntervalS: r.expected_interval_s,
  timeZone: r.time_zone,
  createdAt: r.created_at,
  lastSeen: r.last_seen,
});

export interface SitePatch {
  title?: string | null;
  contractNo?: string | null;
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
    contractNo: s.contractNo,
    notes: s.notes,
    thresholds: s.thresholds ?? null,
    expectedIntervalS: s.expectedIntervalS,
    timeZone: s.timeZone,
    createdAt: iso(s.createdAt),
    lastSeen: iso(s.lastSeen),
  };
}

const SITE_BY_NAME = 'SELECT * FROM sites WHERE name = ?';
/** How stale a site's last_seen may get before a report writes it again. */
const SEEN_EVERY_MS = 60_000;
/**
 * How long ingest trusts a site row it read (by the machine's clock): one read a second per site,
 * not one per report (a round trip each on PostgreSQL). A change made through this repository
 * forgets it at once; one made on another collector shows within this time.
 */
const HELD_MS = 1_000;

export class SitesRepository {
  private readonly seenSql: string;
  /** Rows read by seenAt (committed ones only: a row this transaction wrote is never held). */
  private readonly held = new Map<string, { row: RawSite; until: number }>();

  constructor(private readonly store: Store) {
    this.seenSql = `INSERT INTO sites (name, created_at, last_seen) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET last_seen = ${store.dialect.greatest('coalesce(sites.last_seen, 0)', 'excluded.last_seen')}
       RETURNING *`;
  }

  async get(name: string): Promise<SiteRow | undefined> {
    const r = await this.store.get<RawSite>(SITE_BY_NAME, [name]);
    return r && fromRaw(r);
  }

  /** The site's time zone, in which every time a person reads is printed; the default for a site not yet on record. */
  async timeZoneOf(name: string): Promise<string> {
    return (await this.store.get<RawSite>(SITE_BY_NAME, [name]))?.time_zone ?? DEFAULT_TIME_ZONE;
  }

  /**
   * Registers the site on first sight and records that it was heard from. last_seen is written at
   * most once a minute: every report of a site would otherwise update one row, which on
   * PostgreSQL holds that row's lock to the end of each batch and queues every other batch behind it.
   */
  async seenAt(name: string, now: number): Promise<SiteRow> {
    const fresh = (r: RawSite | undefined): r is RawSite => r !== undefined && r.last_seen !== null && r.last_seen <= now && now - r.last_seen < SEEN_EVERY_MS;
    const held = this.held.get(name);
    if (held && held.until > Date.now() && fresh(held.row)) return fromRaw(held.row);
    const known = await this.store.get<RawSite>(SITE_BY_NAME, [name]);
    if (fresh(known)) {
      this.held.set(name, { row: known, until: Date.now() + HELD_MS });
      return fromRaw(known);
    }
    this.held.delete(name);
    return fromRaw((await this.store.get<RawSite>(this.seenSql, [name, now, now]))!);
  }

  /** Creates the site if it does not exist (e.g. from the API), without touching last_seen. */
  async ensure(name: string, now: number): Promise<SiteRow> {
    const existing = await this.get(name);
    if (existing) return existing;
    const created = await this.store.get<RawSite>('INSERT INTO sites (name, created_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING *', [name, now]);
    // Another collector created it between the two statements: read theirs.
    return created ? fromRaw(created) : (await this.get(name))!;
  }

  async list(): Promise<SiteRow[]> {
    return (await this.store.all<RawSite>('SELECT * FROM sites ORDER BY name')).map(fromRaw);
  }

  async update(name: string, patch: SitePatch): Promise<SiteRow | undefined> {
    this.held.delete(name);
    await this.store.run(
      `UPDATE sites SET
         title = CASE WHEN @setTitle = 1 THEN CAST(@title AS TEXT) ELSE title END,
         contract_no = CASE WHEN @setContractNo = 1 THEN CAST(@contractNo AS TEXT) ELSE contract_no END,
         notes = CASE WHEN @setNotes = 1 THEN CAST(@notes AS TEXT) ELSE notes END,
         thresholds = CASE WHEN @setThresholds = 1 THEN CAST(@thresholds AS TEXT) ELSE thresholds END,
         expected_interval_s = CASE WHEN @setInterval = 1 THEN CAST(@interval AS BIGINT) ELSE expected_interval_s END,
         time_zone = coalesce(CAST(@timeZone AS TEXT), time_zone)
       WHERE name = @name`,
      {
        name,
        setTitle: patch.title !== undefined ? 1 : 0,
        title: patch.title ?? null,
        setContractNo: patch.contractNo !== undefined ? 1 : 0,
        contractNo: patch.contractNo ?? null,
        setNotes: patch.notes !== undefined ? 1 : 0,
        notes: patch.notes ?? null,
        setThresholds: patch.thresholds !== undefined ? 1 : 0,
        thresholds: patch.thresholds && Object.keys(patch.thresholds).length > 0 ? JSON.stringify(patch.thresholds) : null,
        setInterval: patch.expectedIntervalS !== undefined ? 1 : 0,
        interval: patch.expectedIntervalS ?? null,
        timeZone: patch.timeZone ?? null,
      },
    );
    return this.get(name);
  }
}
