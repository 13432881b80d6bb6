import { createHash, randomBytes } from 'node:crypto';
import type { Store } from '../storage/store.js';
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
  private readonly touched = new Map<number, number>();

  constructor(private readonly store: Store) {}

  /** Creates a token; the returned secret is shown once and is not recoverable afterwards. */
  async create(input: { name: string; role: TokenRole; site: string | null; device?: string | null }, now = Date.now()): Promise<{ token: string; row: TokenRow }> {
    const token = newToken();
    const device = input.device ?? null;
    const raw = await this.store.get<RawToken>(
      'INSERT INTO tokens (name, role, site, device, bound_at, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING *',
      [input.name, input.role, input.site, device, device === null ? null : now, hashToken(token), now],
    );
    return { token, row: fromRaw(raw!) };
  }

  /** The live (not revoked) token with this secret. */
  async verify(token: string, now = Date.now()): Promise<TokenRow | undefined> {
    const raw = await this.store.get<RawToken>('SELECT * FROM tokens WHERE hash = ? AND revoked_at IS NULL', [hashToken(token)]);
    if (!raw) return undefined;
    const last = this.touched.get(raw.id) ?? 0;
    if (now - last >= TOUCH_EVERY_MS) {
      this.touched.set(raw.id, now);
      await this.store.run('UPDATE tokens SET last_used_at = ? WHERE id = ?', [now, raw.id]);
    }
    return fromRaw(raw);
  }

  async get(id: number): Promise<TokenRow | undefined> {
    const raw = await this.store.get<RawToken>('SELECT * FROM tokens WHERE id = ?', [id]);
    return raw && fromRaw(raw);
  }

  /** An admin's (re)binding of a live token to a device; false when no live token has this id. */
  async bind(id: number, hostname: string, now = Date.now()): Promise<boolean> {
    return (await this.store.run('UPDATE tokens SET device = ?, bound_at = ? WHERE id = ? AND revoked_at IS NULL', [hostname, now, id])).changes > 0;
  }

  /** Binds an unbound live token to its first device; false when it was bound meanwhile. */
  async bindOnFirstUse(id: number, hostname: string, now = Date.now()): Promise<boolean> {
    // Trust on first use: only while unbound, so two first reports racing cannot both win.
    const sql = 'UPDATE tokens SET device = ?, bound_at = ? WHERE id = ? AND device IS NULL AND revoked_at IS NULL';
    return (await this.store.run(sql, [hostname, now, id])).changes > 0;
  }

  /** The live agent tokens bound to this device. */
  async boundTo(site: string, hostname: string): Promise<TokenRow[]> {
    const sql = "SELECT * FROM tokens WHERE site = ? AND device = ? AND role = 'agent' AND revoked_at IS NULL ORDER BY id";
    return (await this.store.all<RawToken>(sql, [site, hostname])).map(fromRaw);
  }

  async list(): Promise<TokenRow[]> {
    return (await this.store.all<RawToken>('SELECT * FROM tokens ORDER BY id')).map(fromRaw);
  }

  /** True when a live token was revoked. */
  async revoke(id: number, now = Date.now()): Promise<boolean> {
    return (await this.store.run('UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [now, id])).changes > 0;
  }
}
