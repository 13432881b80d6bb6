import type { Migration } from './types.js';

/*
 * Issue 15: the engineer's sign-off and the customer's confirmation each carry a remark written
 * in the confirmation dialog ("checked with the customer's duty officer", "PSU fault noted"),
 * kept on the revision it was given for and printed with it. NULL: no remark given.
 */
const sql = `
ALTER TABLE inspections ADD COLUMN sign_remark TEXT;
ALTER TABLE inspections ADD COLUMN confirm_remark TEXT;
`;
export const migration098: Migration = {
  version: 98,
  name: 'inspections: the sign-off and confirmation remarks',
  sql,
  postgres: sql,
};
