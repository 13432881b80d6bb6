/**
 * `xunjian collector migrate-storage --to postgres://…`: copies an existing SQLite database into
 * PostgreSQL, table by table in the order their foreign keys need, and checks the counts.
 *
 * - Complete: every table of the schema (not the migration log, which the target has its own of),
 *   every column, ids kept (identity sequences moved past them afterwards).
 * - Idempotent and resumable: rows go in with `ON CONFLICT DO NOTHING`, so a second run — or a run
 *   after an interrupted one — adds only what is missing; a table without any key whose count
 *   differs is copied again whole.
 * - Quiet: the target's triggers are off while rows go in (copied ticket events must not raise
 *   notifications, copied devices must not write firmware history twice).
 * - `measurements.value` is TEXT on PostgreSQL: numbers are written as text and a text value is
 *   flagged in `extra`, as the collector itself writes them there.
 * Stop the collector first: rows written during the copy may be missed (a second run catches up).
 */
import type { Database } from 'better-sqlite3';
import { XunjianError } from '../../schemas/index.js';
import { migrateStore } from './migrate-store.js';
import type { Param, Store } from './store.js';

export interface TableCopy {
  table: string;
  source: number;
  copied: number;
  target: number;
}

interface Column {
  name: string;
  pk: number;
}

/** Tables parents first (a row's foreign keys point at rows already copied). */
function tablesInOrder(db: Database): string[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  const parents = new Map(names.map((t) => [t, (db.prepare(`PRAGMA foreign_key_list("${t}")`).all() as { table: string }[]).map((f) => f.table).filter((p) => p !== t)]));
  const ordered: string[] = [];
  const visit = (t: string, path: Set<string>) => {
    if (ordered.includes(t) || path.has(t)) return;
    path.add(t);
    for (const p of parents.get(t) ?? []) if (names.includes(p)) visit(p, path);
    ordered.push(t);
  };
  for (const t of names) visit(t, new Set());
  return ordered;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

function storedMeasurement(row: Record<string, unknown>): Record<string, unknown> {
  const value = row.value;
  if (typeof value === 'number' || typeof value === 'bigint') return { ...row, value: String(value) };
  if (typeof value === 'string') {
    const extra = row.extra ? (JSON.parse(String(row.extra)) as Record<string, unknown>) : {};
    if (extra.text !== true) return { ...row, extra: JSON.stringify({ ...extra, text: true }) };
  }
  return row;
}

export async function copyStorage(source: Database, target: Store, progress: (t: TableCopy) => void = () => undefined): Promise<TableCopy[]> {
  if (target.engine !== 'postgres') throw new XunjianError('USAGE', 'migrate-storage copies into PostgreSQL: --to postgres://…');
  const sourceVersion = (source.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0;
  await migrateStore(target);
  const targetVersion = (await target.get<{ v: number }>('SELECT max(version) AS v FROM schema_migrations'))?.v ?? 0;
  if (sourceVersion !== targetVersion) {
    throw new XunjianError('USAGE', `the SQLite database is at schema version ${sourceVersion} and PostgreSQL at ${targetVersion}: run \`xunjian collector migrate\` on the SQLite file first (same version of xunjian)`);
  }
  const tables = tablesInOrder(source);
  const out: TableCopy[] = [];
  for (const t of tables) await target.exec(`ALTER TABLE ${quote(t)} DISABLE TRIGGER USER`);
  try {
    for (const table of tables) {
      const columns = source.prepare(`PRAGMA table_info(${quote(table)})`).all() as Column[];
      const names = columns.map((c) => c.name);
      const keyed = columns.some((c) => c.pk > 0) || (source.prepare(`PRAGMA index_list(${quote(table)})`).all() as { unique: number }[]).some((i) => i.unique === 1);
      const sourceCount = (source.prepare(`SELECT count(*) AS n FROM ${quote(table)}`).get() as { n: number }).n;
      let targetCount = (await target.get<{ n: number }>(`SELECT count(*) AS n FROM ${quote(table)}`))!.n;
      let copied = 0;
      if (targetCount !== sourceCount) {
        // No key to recognise a row already there by: start the table over.
        if (!keyed && targetCount > 0) await target.run(`DELETE FROM ${quote(table)}`);
        const batch = Math.max(1, Math.floor(20_000 / names.length));
        const order = columns.filter((c) => c.pk > 0).map((c) => quote(c.name)).join(', ') || 'rowid';
        const select = source.prepare(`SELECT * FROM ${quote(table)} ORDER BY ${order}`);
        const insert = (n: number) =>
          `INSERT INTO ${quote(table)} (${names.map(quote).join(', ')}) VALUES ${Array.from({ length: n }, () => `(${names.map(() => '?').join(', ')})`).join(', ')} ON CONFLICT DO NOTHING`;
        let rows: Param[] = [];
        let pending = 0;
        const flush = async () => {
          if (pending === 0) return;
          copied += (await target.run(insert(pending), rows)).changes;
          rows = [];
          pending = 0;
        };
        for (const raw of select.iterate() as Iterable<Record<string, unknown>>) {
          const row = table === 'measurements' ? storedMeasurement(raw) : raw;
          for (const n of names) rows.push(row[n] as Param);
          if (++pending === batch) await flush();
        }
        await flush();
        targetCount = (await target.get<{ n: number }>(`SELECT count(*) AS n FROM ${quote(table)}`))!.n;
      }
      if (names.includes('id')) {
        const sequence = (await target.get<{ s: string | null }>('SELECT pg_get_serial_sequence(?, ?) AS s', [table, 'id']))?.s;
        if (sequence) await target.get(`SELECT setval(CAST(? AS regclass), (SELECT COALESCE(max(id), 0) + 1 FROM ${quote(table)}), false)`, [sequence]);
      }
      const result = { table, source: sourceCount, copied, target: targetCount };
      progress(result);
      out.push(result);
    }
  } finally {
    for (const t of tables) await target.exec(`ALTER TABLE ${quote(t)} ENABLE TRIGGER USER`);
  }
  const wrong = out.filter((t) => t.target !== t.source);
  if (wrong.length) throw new XunjianError('STORAGE', `counts differ after the copy: ${wrong.map((t) => `${t.table} ${t.source} → ${t.target}`).join(', ')}`);
  return out;
}
