import type { Migration } from '../../storage/migrations/types.js';

/*
 * Notification channels (collector/notify/channels). Settings that are not secret are JSON in
 * `settings`; the secrets (SMTP password, webhook URL and signing secret, robot URLs that carry
 * their token) are one JSON object sealed with AES-256-GCM (poller/crypto.ts) in `secrets_sealed`:
 * no plain secret reaches the file. `secret_names` lists which are set, so the API can say
 * `{ set: true }` without opening anything. site NULL: a channel of the whole company.
 */
export const migration086: Migration = {
  version: 86,
  name: 'notify channels: e-mail, webhook and group robots with sealed secrets',
  sql: `
CREATE TABLE notify_channels (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('email', 'webhook', 'wecom', 'dingtalk', 'feishu')),
  site TEXT,
  settings TEXT NOT NULL,
  secrets_sealed TEXT NOT NULL,
  secret_names TEXT NOT NULL,
  target TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  last_test_at INTEGER,
  last_test_outcome TEXT,
  last_test_detail TEXT
);
CREATE INDEX notify_channels_site ON notify_channels (site);
`,
};
