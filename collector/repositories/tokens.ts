import { createHash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../storage/db.js';
import { iso } from './json.js';

export const TOKEN_ROLES = ['agent', 'engineer', 'customer', 'admin'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

export interface TokenRow {
  id: number;
  name: string;
  role: TokenRole;
  /** NULL: global (admin only). */
  site: string | null;
  /** Agent tokens: the one device (hostname within `site`) it reports for; null until bound. */
  device: string | null;
  boundAt: number | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

interface RawToken {
  id: number;
  name: string;
  role: TokenRole;
  site: string | null;
  device: string | null;
  bound_at: number | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

const fromRaw = (r: RawToken): TokenRow => ({
  id: r.id,
  name: r.name,
  role: r.role,
  site: r.site,
  device: r.device,
  boundAt: r.bound_at,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

export function tokenJson(t: TokenRow) {
  return { id: t.id, name: t.name, role: t.role, site: t.site, device: t.device, boundAt: iso(t.boundAt), createdAt: iso(t.createdAt), lastUsedAt: iso(t.lastUsedAt), revokedAt: iso(t.revokedAt) };
}

/** Tokens are 32 random bytes; only their sha-256 is stored, so a stolen database grants nothing. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => `xj_${randomBytes(32).toString('base64url')}`;

/** last_used_at is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;

export class TokensRepository {
  private readonly insert: Statement<[string, string, string | null, string | null, number | null, string, number], RawToken>;
  private readonly byIdStmt: Statement<[number], RawToken>;
  private readonly bindStmt: Statement<[string, number, number]>;
  private readonly bindFirstStmt: Statement<[string, number, number]>;
  private readonly boundToStmt: Statement<[string, string], RawToken>;
  private readonly byHash: Statement<[string], RawToken>;
  private readonly all: Statement<[], RawToken>;
  private readonly revokeStmt: Statement<[number, number]>;
  private readonly touchStmt: Statement<[number, number]>;
  private readonly touched = new Map<number, number>();

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO tokens (name, role, site, device, bound_at, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *');
    this.byIdStmt = db.prepare('SELECT * FROM tokens WHERE id = ?');
    this.bindStmt = db.prepare('UPDATE tokens SET device = ?, bound_at = ? WHERE id = ? AND revoked_at IS NULL');
    // Trust on first use: only while unbound, so two first reports racing cannot both win.
    this.bindFirstStmt = db.prepare('UPDATE tokens SET device = ?, bound_at = ? WHERE id = ? AND device IS NULL AND revoked_at IS NULL');
    this.boundToStmt = db.prepare("SELECT * FROM tokens WHERE site = ? AND device = ? AND role = 'agent' AND revoked_at IS NULL ORDER BY id");
    this.byHash = db.prepare('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL');
    this.all = db.prepare('SELECT * FROM tokens ORDER BY id');
    this.revokeStmt = db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
    this.touchStmt = db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?');
  }

  /** Creates a token; the returned secret is shown once and is not recoverable afterwards. */
  create(input: { name: string; role: TokenRole; site: string | null; device?: string | null }, now = Date.now()): { token: string; row: TokenRow } {
    const token = newToken();
    const device = input.device ?? null;
    const row = fromRaw(this.insert.get(input.name, input.role, input.site, device, device === null ? null : now, hashToken(token), now)!);
    return { token, row };
  }

  /** The live (not revoked) token with this secret. */
  verify(token: string, now = Date.now()): TokenRow | undefined {
    const raw = this.byHash.get(hashToken(token));
    if (!raw) return undefined;
    const last = this.touched.get(raw.id) ?? 0;
    if (now - last >= TOUCH_EVERY_MS) {
      this.touched.set(raw.id, now);
      this.touchStmt.run(now, raw.id);
    }
    return fromRaw(raw);
  }

  get(id: number): TokenRow | undefined {
    const raw = this.byIdStmt.get(id);
    return raw && fromRaw(raw);
  }

  /** An admin's (re)binding of a live token to a device; false when no live token has this id. */
  bind(id: number, hostname: string, now = Date.now()): boolean {
    return this.bindStmt.run(hostname, now, id).changes > 0;
  }

  /** Binds an unbound live token to its first device; false when it was bound meanwhile. */
  bindOnFirstUse(id: number, hostname: string, now = Date.now()): boolean {
    return this.bindFirstStmt.run(hostname, now, id).changes > 0;
  }

  /** The live agent tokens bound to this device. */
  boundTo(site: string, hostname: string): TokenRow[] {
    return this.boundToStmt.all(site, hostname).map(fromRaw);
  }

  list(): TokenRow[] {
    return this.all.all().map(fromRaw);
  }

  /** True when a live token was revoked. */
  revoke(id: number, now = Date.now()): boolean {
    return this.revokeStmt.run(now, id).changes > 0;
  }
}
