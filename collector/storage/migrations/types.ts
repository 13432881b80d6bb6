/** One schema step. Versions are unique and ascending; a migration never changes once released. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}
