/**
 * `?` placeholders → PostgreSQL's `$1, $2…`, skipping quoted text, quoted identifiers and comments,
 * so one SQL text serves both engines. Cached: each query's text is rewritten once.
 */
import { createHash } from 'node:crypto';

const CACHE = new Map<string, Numbered>();

export interface Numbered {
  text: string;
  /** A stable name for the text, for server-side prepared statements (one per distinct text). */
  name: string;
  /** For `@name` placeholders: the names in $-number order (a name used twice gets one number). */
  names: string[];
}

export function numberedPlaceholders(sql: string): string {
  return numbered(sql).text;
}

/** The text with $-numbers, and for named placeholders the order in which to pass their values. */
export function numbered(sql: string): Numbered {
  const cached = CACHE.get(sql);
  if (cached !== undefined) return cached;
  let out = '';
  let n = 0;
  const names: string[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = closing(sql, i, c);
      out += sql.slice(i, end);
      i = end;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      const stop = end === -1 ? sql.length : end;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      const stop = end === -1 ? sql.length : end + 2;
      out += sql.slice(i, stop);
      i = stop;
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let k = names.indexOf(name);
      if (k === -1) k = names.push(name) - 1;
      out += `$${k + 1}`;
      i += name.length + 1;
    } else {
      out += c;
      i++;
    }
  }
  if (n > 0 && names.length > 0) throw new Error('a query mixes ? and @name placeholders');
  const result = { text: out, names, name: `xj_${createHash('sha1').update(out).digest('hex').slice(0, 20)}` };
  if (CACHE.size > 5000) CACHE.clear();
  CACHE.set(sql, result);
  return result;
}

/** Index just past the quote that closes the one at `start` (a doubled quote is part of the text). */
function closing(sql: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return sql.length;
}
