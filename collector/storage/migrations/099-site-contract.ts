import type { Migration } from './types.js';

/*
 * Issue 15: the contract number printed on every report's cover beside the customer's name (the
 * site's title). Entered with PATCH /api/v1/sites/:site; NULL: not on record, and the cover says so.
 */
const sql = `
ALTER TABLE sites ADD COLUMN contract_no TEXT;
`;
export const migration099: Migration = {
  version: 99,
  name: 'sites: the contract number on report covers',
  sql,
  postgres: sql,
};
