import { createHash, randomBytes } from 'node:crypto';
import { conflict } from '../errors.js';
import type { Store } from '../storage/store.js';

export const USER_ROLES = ['admin', 'engineer', 'customer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export interface UserRow {
  id: number;
  name: string;
  role: UserRole;
  /** The sites the user may see; empty for admins and for engineers who see every site. */
  sites: string[];
  createdAt: number;
  disabledAt: number | null;
}

interface RawUser {
  id: number;
  name: string;
  role: UserRole;
  password_hash: string;
  created_at: number;
  disabled_at: number | null;
}

export interface SessionRow {
  user: UserRow;
  csrf: string;
  expiresAt: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  role: string;
  action: string;
  site: string | null;
  subject: string | null;
  detail: string | null;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export class UsersRepository {
  private readonly s: {
    insert: string;
    addSite: string;
    byName: string;
    byId: string;
    sitesOf: string;
    all: string;
    setPassword: string;
    newSession: string;
    session: string;
    endSession: string;
    purge: string;
  };

  constructor(private readonly store: Store) {
    this.s = {
      insert: 'INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id',
      addSite: 'INSERT INTO user_sites (user_id, site) VALUES (?, ?) ON CONFLICT DO NOTHING',
      byName: 'SELECT * FROM users WHERE name = ?',
      byId: 'SELECT * FROM users WHERE id = ?',
      sitesOf: 'SELECT site FROM user_sites WHERE user_id = ? ORDER BY site',
      all: 'SELECT * FROM users ORDER BY name',
      setPassword: 'UPDATE users SET password_hash = ? WHERE id = ?',
      newSession: 'INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
      session: 'SELECT user_id, csrf, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?',
      endSession: 'DELETE FROM sessions WHERE id_hash = ?',
      purge: 'DELETE FROM sessions WHERE expires_at <= ?',
    };
  }

  private async row(r: RawUser): Promise<UserRow> {
    return { id: r.id, name: r.name, role: r.role, sites: (await this.store.all<{ site: string }>(this.s.sitesOf, [r.id])).map((x) => x.site), createdAt: r.created_at, disabledAt: r.disabled_at };
  }

  /** Creates a user; the password must already be hashed (password.ts). */
  async create(input: { name: string; role: UserRole; passwordHash: string; sites: string[] }, now = Date.now()): Promise<UserRow> {
    return this.store.transaction(async () => {
      if (await this.store.get<RawUser>(this.s.byName, [input.name])) throw conflict(`user ${input.name} already exists`);
      const { id } = (await this.store.get<{ id: number }>(this.s.insert, [input.name, input.role, input.passwordHash, now]))!;
      for (const site of input.sites) await this.store.run(this.s.addSite, [id, site]);
      return this.row((await this.store.get<RawUser>(this.s.byId, [id]))!);
    });
  }

  async get(name: string): Promise<UserRow | undefined> {
    const r = await this.store.get<RawUser>(this.s.byName, [name]);
    return r && (await this.row(r));
  }

  /** The stored hash of a live (not disabled) user, for log-in. */
  async credentials(name: string): Promise<{ user: UserRow; hash: string } | undefined> {
    const r = await this.store.get<RawUser>(this.s.byName, [name]);
    return r && r.disabled_at === null ? { user: await this.row(r), hash: r.password_hash } : undefined;
  }

  async list(): Promise<UserRow[]> {
    return Promise.all((await this.store.all<RawUser>(this.s.all)).map((r) => this.row(r)));
  }

  async setPassword(id: number, passwordHash: string): Promise<void> {
    await this.store.run(this.s.setPassword, [passwordHash, id]);
  }

  /** Opens a session; returns the cookie value (shown once) and its CSRF token. */
  async openSession(userId: number, ttlMs: number, now = Date.now()): Promise<{ cookie: string; csrf: string }> {
    const cookie = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    await this.store.run(this.s.purge, [now]);
    await this.store.run(this.s.newSession, [sha256(cookie), userId, csrf, now, now + ttlMs]);
    return { cookie, csrf };
  }

  async session(cookie: string, now = Date.now()): Promise<SessionRow | undefined> {
    const s = await this.store.get<{ user_id: number; csrf: string; expires_at: number }>(this.s.session, [sha256(cookie), now]);
    if (!s) return undefined;
    const u = await this.store.get<RawUser>(this.s.byId, [s.user_id]);
    if (!u || u.disabled_at !== null) return undefined;
    return { user: await this.row(u), csrf: s.csrf, expiresAt: s.expires_at };
  }

  async closeSession(cookie: string): Promise<void> {
    await this.store.run(this.s.endSession, [sha256(cookie)]);
  }
}

/** Who did what and when: sign-offs, confirmations, ticket steps, log-ins. Append-only. */
export class AuditLog {
  private readonly insert: string;
  private readonly bySite: string;
  private readonly recentStmt: string;
  private readonly pageStmt: string;

  constructor(private readonly store: Store) {
    this.insert = 'INSERT INTO audit_log (at, actor, role, action, site, subject, detail) VALUES (?, ?, ?, ?, ?, ?, ?)';
    this.bySite = 'SELECT * FROM audit_log WHERE site = ? ORDER BY at DESC, id DESC LIMIT ?';
    this.recentStmt = 'SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT ?';
    // Pages follow the id (the order of writing), which a clock set back cannot reorder.
    this.pageStmt = 'SELECT * FROM audit_log WHERE site = ? AND id < ? ORDER BY id DESC LIMIT ?';
  }

  async record(e: { at: number; actor: string; role: string; action: string; site?: string | null; subject?: string | null; detail?: string | null }): Promise<void> {
    await this.store.run(this.insert, [e.at, e.actor, e.role, e.action, e.site ?? null, e.subject ?? null, e.detail ?? null]);
  }

  async forSite(site: string, limit = 200): Promise<AuditEntry[]> {
    return await this.store.all<AuditEntry>(this.bySite, [site, limit]);
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  async page(site: string, limit: number, before = Number.MAX_SAFE_INTEGER): Promise<AuditEntry[]> {
    return await this.store.all<AuditEntry>(this.pageStmt, [site, before, limit]);
  }

  async recent(limit = 200): Promise<AuditEntry[]> {
    return await this.store.all<AuditEntry>(this.recentStmt, [limit]);
  }
}
