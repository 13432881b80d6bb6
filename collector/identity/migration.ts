import type { Migration } from '../storage/migrations/types.js';

/*
 * An agent token belongs to one device. Tokens made before this step are bound here to the one
 * device they have reported for; a token that reported for several (the attack this closes) or
 * for none stays unbound and is bound by its next report (trust on first use, audited).
 */
export const migration040: Migration = {
  version: 40,
  name: 'identity: agent tokens bound to one device',
  sql: `
ALTER TABLE tokens ADD COLUMN device TEXT;
ALTER TABLE tokens ADD COLUMN bound_at INTEGER;
UPDATE tokens SET device = one.hostname, bound_at = one.at
FROM (
  SELECT r.token_id, min(d.hostname) AS hostname, min(r.received_at) AS at
  FROM reports r JOIN devices d ON d.id = r.device_id
  WHERE r.token_id IS NOT NULL
  GROUP BY r.token_id
  HAVING count(DISTINCT r.device_id) = 1
) AS one
WHERE tokens.id = one.token_id AND tokens.role = 'agent';
CREATE INDEX tokens_device ON tokens (site, device) WHERE device IS NOT NULL;
`,
};
