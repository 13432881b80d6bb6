import type { SnmpTarget } from '../../checks/sources/snmp/index.js';
import type { DeviceKind, SnmpTargetInput, SnmpTargetPatch, SnmpTargetView } from '../../schemas/index.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { isUniqueViolation, type Param, type Store } from '../storage/store.js';
import type { CredentialBox } from './crypto.js';
import type { Scheduled } from './queue.js';

interface RawTarget {
  id: number;
  site: string;
  host: string;
  port: number;
  version: '1' | '2c' | '3';
  user_name: string | null;
  level: string | null;
  auth_protocol: string | null;
  priv_protocol: string | null;
  community_sealed: string | null;
  auth_key_sealed: string | null;
  priv_key_sealed: string | null;
  timeout_ms: number;
  retries: number;
  interval_s: number;
  kind: string | null;
  role: string | null;
  name: string | null;
  hostname: string | null;
  token_id: number | null;
  created_at: number;
  last_poll_at: number | null;
  last_result: string | null;
  last_error: string | null;
  last_success_at: number | null;
  last_report_id: string | null;
}

/** A target as the poller needs it (secrets still sealed). */
export interface StoredTarget {
  id: number;
  site: string;
  intervalS: number;
  tokenId: number | null;
  hostname: string | null;
  lastPollAt: number | null;
  lastSuccessAt: number | null;
  raw: RawTarget;
}

export interface PollRecord {
  at: number;
  result: 'ok' | 'unreachable' | 'error';
  error?: string;
  reportId?: string;
  hostname?: string;
  /** The collector that polled (its cluster id). */
  by?: string;
}

/**
 * The targets due at a time, for either table: only the three columns the schedule needs, so a
 * tick does not read (or decrypt) every target's row — most are not due on a given second.
 */
export const dueIn = (table: 'snmp_targets' | 'bmc_targets') => `SELECT id, last_poll_at AS "lastPollAt", interval_s AS "intervalS" FROM ${table}
  WHERE last_poll_at IS NULL OR last_poll_at <= CAST(? AS BIGINT) - interval_s * 1000 ORDER BY id`;

/** A stored instant as the API shows it (also the BMC targets' view). */
export const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString());
/** `{ key: v }`, or nothing for a column that is NULL. */
export const opt = <K extends string, V>(key: K, v: V | null | undefined) => (v === null || v === undefined ? {} : ({ [key]: v } as Record<K, V>));

function view(r: RawTarget): SnmpTargetView {
  return {
    id: r.id,
    site: r.site,
    host: r.host,
    port: r.port,
    version: r.version,
    ...opt('user', r.user_name),
    ...opt('level', r.level),
    ...opt('authProtocol', r.auth_protocol),
    ...opt('privProtocol', r.priv_protocol),
    hasCommunity: r.community_sealed !== null,
    hasAuthKey: r.auth_key_sealed !== null,
    hasPrivKey: r.priv_key_sealed !== null,
    timeoutMs: r.timeout_ms,
    retries: r.retries,
    intervalS: r.interval_s,
    ...opt('kind', r.kind),
    ...opt('role', r.role),
    ...opt('name', r.name),
    ...opt('hostname', r.hostname),
    ...opt('lastPollAt', iso(r.last_poll_at)),
    ...opt('lastResult', r.last_result),
    ...opt('lastError', r.last_error),
    ...opt('lastSuccessAt', iso(r.last_success_at)),
    ...opt('lastReportId', r.last_report_id),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const stored = (r: RawTarget): StoredTarget => ({
  id: r.id,
  site: r.site,
  intervalS: r.interval_s,
  tokenId: r.token_id,
  hostname: r.hostname,
  lastPollAt: r.last_poll_at,
  lastSuccessAt: r.last_success_at,
  raw: r,
});

/** A v1/v2c target needs a community; a v3 target a user, and the keys its level needs. */
function assertComplete(t: { version: string; community?: string | null; user?: string | null; level?: string | null; authKey?: string | null; privKey?: string | null }): void {
  if (t.version !== '3') {
    if (!t.community) throw badRequest('community_required', `SNMP v${t.version} needs a community`);
    return;
  }
  if (!t.user) throw badRequest('user_required', 'SNMP v3 needs a user');
  const level = t.level ?? 'noAuthNoPriv';
  if (level !== 'noAuthNoPriv' && !t.authKey) throw badRequest('auth_key_required', `SNMP v3 level ${level} needs an authKey`);
  if (level === 'authPriv' && !t.privKey) throw badRequest('priv_key_required', 'SNMP v3 level authPriv needs a privKey');
}

/** SNMP targets; the only code that writes `snmp_targets`. */
export class SnmpTargetsRepository {
  constructor(
    private readonly store: Store,
    private readonly box: CredentialBox,
  ) {}

  private async raw(site: string, id: number): Promise<RawTarget> {
    const r = await this.store.get<RawTarget>('SELECT * FROM snmp_targets WHERE id = ? AND site = ?', [id, site]);
    if (!r) throw notFound(`no SNMP target ${id} at site ${site}`);
    return r;
  }

  async create(site: string, input: SnmpTargetInput, tokenId: number | null, now: number): Promise<SnmpTargetView> {
    if (!this.box.ready) this.box.seal(''); // throws the 400 saying how to configure a key
    assertComplete(input);
    const seal = (v: string | undefined) => (v === undefined ? null : this.box.seal(v));
    try {
      const row = await this.store.get<{ id: number }>(
        `INSERT INTO snmp_targets (site, host, port, version, user_name, level, auth_protocol, priv_protocol,
           community_sealed, auth_key_sealed, priv_key_sealed, timeout_ms, retries, interval_s, kind, role, name, token_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          site, input.host, input.port, input.version, input.user ?? null, input.level ?? null, input.authProtocol ?? null, input.privProtocol ?? null,
          seal(input.community), seal(input.authKey), seal(input.privKey), input.timeoutMs, input.retries, input.intervalS,
          input.kind ?? null, input.role ?? null, input.name ?? null, tokenId, now,
        ],
      );
      return await this.get(site, row!.id);
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`site ${site} already has an SNMP target ${input.host}:${input.port}`);
      throw e;
    }
  }

  async update(site: string, id: number, patch: SnmpTargetPatch): Promise<SnmpTargetView> {
    const r = await this.raw(site, id);
    const secrets = patch.community !== undefined || patch.authKey !== undefined || patch.privKey !== undefined;
    if (secrets && !this.box.ready) this.box.seal('');
    const merged = {
      version: patch.version ?? r.version,
      community: patch.community ?? (r.community_sealed ? 'set' : null),
      user: patch.user ?? r.user_name,
      level: patch.level ?? r.level,
      authKey: patch.authKey ?? (r.auth_key_sealed ? 'set' : null),
      privKey: patch.privKey ?? (r.priv_key_sealed ? 'set' : null),
    };
    assertComplete(merged);
    const col: Record<string, unknown> = {};
    if (patch.host !== undefined) col.host = patch.host;
    if (patch.port !== undefined) col.port = patch.port;
    if (patch.version !== undefined) col.version = patch.version;
    if (patch.user !== undefined) col.user_name = patch.user;
    if (patch.level !== undefined) col.level = patch.level;
    if (patch.authProtocol !== undefined) col.auth_protocol = patch.authProtocol;
    if (patch.privProtocol !== undefined) col.priv_protocol = patch.privProtocol;
    if (patch.community !== undefined) col.community_sealed = this.box.seal(patch.community);
    if (patch.authKey !== undefined) col.auth_key_sealed = this.box.seal(patch.authKey);
    if (patch.privKey !== undefined) col.priv_key_sealed = this.box.seal(patch.privKey);
    if (patch.timeoutMs !== undefined) col.timeout_ms = patch.timeoutMs;
    if (patch.retries !== undefined) col.retries = patch.retries;
    if (patch.intervalS !== undefined) col.interval_s = patch.intervalS;
    if (patch.kind !== undefined) col.kind = patch.kind;
    if (patch.role !== undefined) col.role = patch.role;
    if (patch.name !== undefined) {
      col.name = patch.name;
      col.hostname = patch.name;
    }
    const keys = Object.keys(col);
    if (keys.length) {
      try {
        await this.store.run(`UPDATE snmp_targets SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`, { ...(col as Record<string, Param>), id });
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict(`site ${site} already has an SNMP target at that host and port`);
        throw e;
      }
    }
    return this.get(site, id);
  }

  async remove(site: string, id: number): Promise<void> {
    await this.raw(site, id);
    await this.store.run('DELETE FROM snmp_targets WHERE id = ?', [id]);
  }

  async get(site: string, id: number): Promise<SnmpTargetView> {
    return view(await this.raw(site, id));
  }

  async list(site: string): Promise<SnmpTargetView[]> {
    return (await this.store.all<RawTarget>('SELECT * FROM snmp_targets WHERE site = ? ORDER BY id', [site])).map(view);
  }

  /** Every target (syslog's sender map, the CLI). */
  async all(): Promise<StoredTarget[]> {
    return (await this.store.all<RawTarget>('SELECT * FROM snmp_targets ORDER BY id')).map(stored);
  }

  /** Targets due at `now` (never polled, or `intervalS` since their last poll began), any site: the schedule's reading, without secrets. */
  due(now: number): Promise<Scheduled[]> {
    return this.store.all<Scheduled>(dueIn('snmp_targets'), [now]);
  }

  /** The target by id (any site), or undefined once deleted. */
  async byId(id: number): Promise<StoredTarget | undefined> {
    const r = await this.store.get<RawTarget>('SELECT * FROM snmp_targets WHERE id = ?', [id]);
    return r && stored(r);
  }

  /** Targets at this address (syslog sender mapping). */
  byHost(host: string): Promise<{ site: string; hostname: string | null; host: string; tokenId: number | null }[]> {
    return this.store.all('SELECT site, coalesce(hostname, name) AS hostname, host, token_id AS "tokenId" FROM snmp_targets WHERE host = ?', [host]);
  }

  /** The session settings with secrets opened (throws when the key is missing or wrong). */
  snmpTarget(t: StoredTarget): SnmpTarget {
    const r = t.raw;
    const open = (v: string | null) => (v === null ? undefined : this.box.open(v));
    const target: SnmpTarget = {
      host: r.host,
      port: r.port,
      version: r.version,
      timeoutMs: r.timeout_ms,
      retries: r.retries,
      site: r.site,
      ...(r.kind ? { kind: r.kind as DeviceKind } : {}),
    };
    const name = r.name ?? r.hostname;
    if (name) target.name = name;
    if (r.version === '3') {
      if (r.user_name) target.user = r.user_name;
      if (r.level) target.level = r.level as SnmpTarget['level'];
      if (r.auth_protocol) target.authProtocol = r.auth_protocol as SnmpTarget['authProtocol'];
      if (r.priv_protocol) target.privProtocol = r.priv_protocol as SnmpTarget['privProtocol'];
      const ak = open(r.auth_key_sealed);
      const pk = open(r.priv_key_sealed);
      if (ak) target.authKey = ak;
      if (pk) target.privKey = pk;
    } else {
      const c = open(r.community_sealed);
      if (c) target.community = c;
    }
    return target;
  }

  async recordPoll(id: number, p: PollRecord): Promise<void> {
    // The result is cast: PostgreSQL cannot type a parameter compared to a literal (@result = 'ok').
    await this.store.run(
      `UPDATE snmp_targets SET last_poll_at = @at, last_result = @result, last_error = @error, last_report_id = coalesce(@reportId, last_report_id), polled_by = @by,
         last_success_at = CASE WHEN CAST(@result AS TEXT) = 'ok' THEN @at ELSE last_success_at END,
         hostname = CASE WHEN CAST(@result AS TEXT) = 'ok' THEN coalesce(hostname, @hostname) ELSE hostname END
       WHERE id = @id`,
      { id, at: p.at, result: p.result, error: p.error ?? null, reportId: p.reportId ?? null, hostname: p.hostname ?? null, by: p.by ?? null },
    );
  }
}
