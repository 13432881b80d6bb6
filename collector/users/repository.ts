import { createHash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { conflict } from '../errors.js';
import type { Db } from '../storage/db.js';

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
    insert: Statement<[string, string, string, number], { id: number }>;
    addSite: Statement<[number, string]>;
    byName: Statement<[string], RawUser>;
    byId: Statement<[number], RawUser>;
    sitesOf: Statement<[number], { site: string }>;
    all: Statement<[], RawUser>;
    setPassword: Statement<[string, number]>;
    newSession: Statement<[string, number, string, number, number]>;
    session: Statement<[string, number], { user_id: number; csrf: string; expires_at: number }>;
    endSession: Statement<[string]>;
    purge: Statement<[number]>;
  };

  constructor(private readonly db: Db) {
    this.s = {
      insert: db.prepare('INSERT INTO users (name, role, password_hash, created_at) VALUES (?, ?, ?, ?) RETURNING id'),
      addSite: db.prepare('INSERT OR IGNORE INTO user_sites (user_id, site) VALUES (?, ?)'),
      byName: db.prepare('SELECT * FROM users WHERE name = ?'),
      byId: db.prepare('SELECT * FROM users WHERE id = ?'),
      sitesOf: db.prepare('SELECT site FROM user_sites WHERE user_id = ? ORDER BY site'),
      all: db.prepare('SELECT * FROM users ORDER BY name'),
      setPassword: db.prepare('UPDATE users SET password_hash = ? WHERE id = ?'),
      newSession: db.prepare('INSERT INTO sessions (id_hash, user_id, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)'),
      session: db.prepare('SELECT user_id, csrf, expires_at FROM sessions WHERE id_hash = ? AND expires_at > ?'),
      endSession: db.prepare('DELETE FROM sessions WHERE id_hash = ?'),
      purge: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    };
  }

  private row(r: RawUser): UserRow {
    return { id: r.id, name: r.name, role: r.role, sites: this.s.sitesOf.all(r.id).map((x) => x.site), createdAt: r.created_at, disabledAt: r.disabled_at };
  }

  /** Creates a user; the password must already be hashed (password.ts). */
  create(input: { name: string; role: UserRole; passwordHash: string; sites: string[] }, now = Date.now()): UserRow {
    return this.db.transaction(() => {
      if (this.s.byName.get(input.name)) throw conflict(`user ${input.name} already exists`);
      const { id } = this.s.insert.get(input.name, input.role, input.passwordHash, now)!;
      for (const site of input.sites) this.s.addSite.run(id, site);
      return this.row(this.s.byId.get(id)!);
    })();
  }

  get(name: string): UserRow | undefined {
    const r = this.s.byName.get(name);
    return r && this.row(r);
  }

  /** The stored hash of a live (not disabled) user, for log-in. */
  credentials(name: string): { user: UserRow; hash: string } | undefined {
    const r = this.s.byName.get(name);
    return r && r.disabled_at === null ? { user: this.row(r), hash: r.password_hash } : undefined;
  }

  list(): UserRow[] {
    return this.s.all.all().map((r) => this.row(r));
  }

  setPassword(id: number, passwordHash: string): void {
    this.s.setPassword.run(passwordHash, id);
  }

  /** Opens a session; returns the cookie value (shown once) and its CSRF token. */
  openSession(userId: number, ttlMs: number, now = Date.now()): { cookie: string; csrf: string } {
    const cookie = randomBytes(32).toString('base64url');
    const csrf = randomBytes(24).toString('base64url');
    this.s.purge.run(now);
    this.s.newSession.run(sha256(cookie), userId, csrf, now, now + ttlMs);
    return { cookie, csrf };
  }

  session(cookie: string, now = Date.now()): SessionRow | undefined {
    const s = this.s.session.get(sha256(cookie), now);
    if (!s) return undefined;
    const u = this.s.byId.get(s.user_id);
    if (!u || u.disabled_at !== null) return undefined;
    return { user: this.row(u), csrf: s.csrf, expiresAt: s.expires_at };
  }

  closeSession(cookie: string): void {
    this.s.endSession.run(sha256(cookie));
  }
}

/** Who did what and when: sign-offs, confirmations, ticket steps, log-ins. Append-only. */
export class AuditLog {
  private readonly insert: Statement<[number, string, string, string, string | null, string | null, string | null]>;
  private readonly bySite: Statement<[string, number], AuditEntry>;
  private readonly recentStmt: Statement<[number], AuditEntry>;
  private readonly pageStmt: Statement<[string, number, number], AuditEntry>;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT INTO audit_log (at, actor, role, action, site, subject, detail) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.bySite = db.prepare('SELECT * FROM audit_log WHERE site = ? ORDER BY at DESC, id DESC LIMIT ?');
    this.recentStmt = db.prepare('SELECT * FROM audit_log ORDER BY at DESC, id DESC LIMIT ?');
    // Pages follow the id (the order of writing), which a clock set back cannot reorder.
    this.pageStmt = db.prepare('SELECT * FROM audit_log WHERE site = ? AND id < ? ORDER BY id DESC LIMIT ?');
  }

  record(e: { at: number; actor: string; role: string; action: string; site?: string | null; subject?: string | null; detail?: string | null }): void {
    this.insert.run(e.at, e.actor, e.role, e.action, e.site ?? null, e.subject ?? null, e.detail ?? null);
  }

  forSite(site: string, limit = 200): AuditEntry[] {
    return this.bySite.all(site, limit);
  }

  /** Newest first; `before` is the id of the last entry of the previous page. */
  page(site: string, limit: number, before = Number.MAX_SAFE_INTEGER): AuditEntry[] {
    return this.pageStmt.all(site, before, limit);
  }

  recent(limit = 200): AuditEntry[] {
    return this.recentStmt.all(limit);
  }
}
