import type { Migration } from './types.js';

/*
 * The site's time zone (issue 11): months, quarters and years of its records are cut in it and
 * every time a person reads is printed in it. Existing sites take the default, China.
 */
export const migration055: Migration = {
  version: 55,
  name: 'sites: time zone (IANA name, default Asia/Shanghai)',
  sql: `
ALTER TABLE sites ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'Asia/Shanghai';
`,
};
