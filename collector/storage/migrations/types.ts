/** One schema step. Versions are unique and ascending; a migration never changes once released. */
export interface Migration {
  version: number;
  name: string;
  /** The step on SQLite. */
  sql: string;
  /**
   * The same step on PostgreSQL. Required after the PostgreSQL baseline (version 95,
   * collector/storage/postgres/baseline.ts): PostgreSQL databases start at the baseline.
   */
  postgres?: string;
}
