/**
 * The few things SQLite and PostgreSQL spell differently, each spelled once. Queries call these to
 * build their text (once, at construction), so each query still has one source.
 */
import type { Engine } from './store.js';

export interface Dialect {
  engine: Engine;
  /** The larger of two values (SQLite's scalar max, PostgreSQL's GREATEST). */
  greatest(a: string, b: string): string;
  least(a: string, b: string): string;
  /** Case-insensitive LIKE (SQLite's LIKE already is for ASCII; PostgreSQL's is not). */
  ilike(column: string, pattern: string): string;
  /** Values of a group joined by sep (sep is a SQL string literal, e.g. "','"). */
  groupConcat(expr: string, sep: string): string;
  /** The text at a top-level key of a JSON text column (`key` a plain identifier). */
  jsonText(column: string, key: string): string;
}

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`JSON key ${JSON.stringify(key)} is not a plain identifier`);
  return key;
}

export const SQLITE_DIALECT: Dialect = {
  engine: 'sqlite',
  greatest: (a, b) => `max(${a}, ${b})`,
  least: (a, b) => `min(${a}, ${b})`,
  ilike: (column, pattern) => `${column} LIKE ${pattern}`,
  groupConcat: (expr, sep) => `group_concat(${expr}, ${sep})`,
  jsonText: (column, key) => `json_extract(${column}, '$.${checkKey(key)}')`,
};

export const POSTGRES_DIALECT: Dialect = {
  engine: 'postgres',
  greatest: (a, b) => `GREATEST(${a}, ${b})`,
  least: (a, b) => `LEAST(${a}, ${b})`,
  ilike: (column, pattern) => `${column} ILIKE ${pattern}`,
  groupConcat: (expr, sep) => `string_agg(${expr}, ${sep})`,
  jsonText: (column, key) => `(${column}::json ->> '${checkKey(key)}')`,
};
