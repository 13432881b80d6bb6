import type { Migration } from '../storage/migrations/index.js';

/*
 * People who log in to the dashboard (tokens stay for machines and scripts), their sites, their
 * sessions, and the audit log of every sign-off, confirmation and ticket step. Times: epoch ms.
 */
export const migration020: Migration = {
  version: 20,
  name: 'users: users, user sites, sessions, audit log',
  sql: `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'engineer', 'customer')),
  -- scrypt$N$r$p$salt$hash (node:crypto scrypt); never the password.
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  disabled_at INTEGER
);

-- The sites a user may see. A customer has at least one; an engineer with none sees every site.
CREATE TABLE user_sites (
  user_id INTEGER NOT NULL REFERENCES users(id),
  site TEXT NOT NULL,
  PRIMARY KEY (user_id, site)
) WITHOUT ROWID;

CREATE TABLE sessions (
  -- sha-256 of the cookie value: a stolen database opens no session.
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  role TEXT NOT NULL,
  action TEXT NOT NULL,
  site TEXT,
  subject TEXT,
  detail TEXT
);
CREATE INDEX audit_log_site ON audit_log (site, at);
`,
};
