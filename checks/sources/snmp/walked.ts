/**
 * What a poll read from one device: column OID → (row index → value), plus the columns whose walk
 * failed and why. Extraction works only on this, so it is pure and testable without an agent.
 */
import type { SnmpColumn, SnmpProfile } from '../../../schemas/index.js';
import type { SnmpValue, WalkedRow } from './session.js';
import { templateColumns } from './template.js';

export const ENT_PHYSICAL_NAME = '1.3.6.1.2.1.47.1.1.1.1.7';
export const ENT_PHYSICAL_CLASS = '1.3.6.1.2.1.47.1.1.1.1.5';
export const SYS_UPTIME = '1.3.6.1.2.1.1.3';

export interface Walked {
  columns: Map<string, Map<string, SnmpValue>>;
  /** Column OID → why its walk failed (timeout, error). A failed column is a gap, never an empty table. */
  failed: Map<string, string>;
}

export function emptyWalked(): Walked {
  return { columns: new Map(), failed: new Map() };
}

/** Files a walk's rows under their column. */
export function addWalk(walked: Walked, column: string, rows: WalkedRow[]): void {
  const table = walked.columns.get(column) ?? new Map<string, SnmpValue>();
  const prefix = `${column}.`;
  for (const r of rows) if (r.oid.startsWith(prefix)) table.set(r.oid.slice(prefix.length), r.value);
  walked.columns.set(column, table);
}

export function cell(walked: Walked, column: string, index: string): SnmpValue | undefined {
  return walked.columns.get(column)?.get(index);
}

export function rows(walked: Walked, column: string): Map<string, SnmpValue> {
  return walked.columns.get(column) ?? new Map();
}

export function num(v: SnmpValue | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

const cols = (list: SnmpColumn[] | undefined) => (list ?? []).map((c) => c.oid);
const labelCols = (labels: string[]) => labels.flatMap(templateColumns);

/**
 * The inventory columns (serial, model, firmware) that nothing else in the profile reads: a poll
 * GETs them at the chassis and the profile's entity indexes instead of walking every entity's
 * (hundreds on a stack or a modular chassis), and walks them only if none of those has a value.
 */
export function inventoryOnlyColumns(p: SnmpProfile): string[] {
  const inv = p.inventory;
  if (!inv) return [];
  const own = new Set(profileColumns({ ...p, inventory: undefined }));
  return dedupe([...cols(inv.serial), ...cols(inv.model), ...cols(inv.firmware)].filter((c) => !own.has(c)));
}

/** Every column the full profile reads once per poll. */
export function profileColumns(p: SnmpProfile): string[] {
  const out: string[] = [];
  const selection = (s: { label: string[]; where?: { oid: string }[]; entityClass?: number[] }) => {
    out.push(...labelCols(s.label), ...(s.where ?? []).map((w) => w.oid));
    if (s.entityClass) out.push(ENT_PHYSICAL_CLASS);
  };
  for (const s of p.cpu ?? []) {
    out.push(...cols(s.average), ...cols(s.sample));
    selection(s);
  }
  for (const s of [...(p.memory ?? []), ...(p.filesystems ?? [])]) {
    out.push(...cols(s.percent), ...cols(s.used), ...cols(s.free), ...cols(s.total));
    selection(s);
  }
  for (const s of p.states ?? []) {
    out.push(...cols(s.state));
    selection(s);
  }
  for (const s of p.temperature ?? []) {
    out.push(...cols(s.value), ...cols(s.high), ...cols(s.low));
    if (s.exponent) out.push(s.exponent.oid);
    if (s.precision) out.push(s.precision.oid);
    if (s.state) out.push(s.state.column.oid);
    if (s.thresholds) out.push(s.thresholds.severity.oid, s.thresholds.relation.oid, s.thresholds.value.oid);
    selection(s);
  }
  for (const s of p.log ?? []) {
    out.push(s.probe.oid, s.severity.oid, s.uptime.oid, ...labelCols(s.text));
  }
  const inv = p.inventory;
  if (inv) {
    out.push(...cols(inv.serial), ...cols(inv.model), ...cols(inv.firmware));
    if (inv.serial || inv.model || inv.firmware) out.push(ENT_PHYSICAL_CLASS);
  }
  return dedupe(out);
}

/** The short-term CPU columns sampled again across the window. */
export function sampleColumns(p: SnmpProfile): string[] {
  return dedupe((p.cpu ?? []).flatMap((s) => cols(s.sample)));
}

function dedupe(list: string[]): string[] {
  return [...new Set(list)].sort();
}
