/**
 * Label templates of the profiles: `{ent}: Core {i1}`, `{col:1.3.6.1.4.1.9.9.13.1.5.1.2}`,
 * `Power Supply {index}`. The first template whose placeholders all resolve to text wins.
 */
import type { Walked } from './walked.js';
import { ENT_PHYSICAL_NAME, cell } from './walked.js';

export interface Placeholder {
  kind: 'index' | 'part' | 'ent' | 'col' | 'entOf';
  part?: number;
  oid?: string;
  /** `@i0`: apply to the first index part instead of the whole index. */
  atFirst?: boolean;
}

const TOKEN = /\{([^{}]*)\}/g;

/** The placeholders of a template; throws on an unknown one. */
export function templatePlaceholders(template: string): Placeholder[] {
  const out: Placeholder[] = [];
  for (const m of template.matchAll(TOKEN)) {
    const body = m[1]!;
    const [head, at] = body.split('@') as [string, string | undefined];
    if (at !== undefined && at !== 'i0') throw new Error(`unknown qualifier @${at} (only @i0)`);
    const atFirst = at === 'i0';
    if (head === 'index') out.push({ kind: 'index' });
    else if (/^i[0-9]$/.test(head)) out.push({ kind: 'part', part: Number(head.slice(1)) });
    else if (head === 'ent') out.push({ kind: 'ent', atFirst });
    else if (/^col:[0-9.]+$/.test(head)) out.push({ kind: 'col', oid: head.slice(4), atFirst });
    else if (/^entOf:[0-9.]+$/.test(head)) out.push({ kind: 'entOf', oid: head.slice(6), atFirst });
    else throw new Error(`unknown placeholder {${body}}`);
  }
  return out;
}

/** Column OIDs a template reads (so the walker fetches them). */
export function templateColumns(template: string): string[] {
  const cols: string[] = [];
  for (const p of templatePlaceholders(template)) {
    if (p.kind === 'col' && p.oid) cols.push(p.oid);
    if (p.kind === 'entOf' && p.oid) cols.push(p.oid, ENT_PHYSICAL_NAME);
    if (p.kind === 'ent') cols.push(ENT_PHYSICAL_NAME);
  }
  return cols;
}

function resolveOne(p: Placeholder, index: string, walked: Walked): string | undefined {
  const parts = index.split('.');
  const at = p.atFirst ? parts[0]! : index;
  switch (p.kind) {
    case 'index':
      return index;
    case 'part':
      return parts[p.part!];
    case 'ent':
      return text(cell(walked, ENT_PHYSICAL_NAME, at));
    case 'col':
      return text(cell(walked, p.oid!, at));
    case 'entOf': {
      const ent = cell(walked, p.oid!, at);
      if (ent === undefined || ent === 0 || ent === '0') return undefined;
      return text(cell(walked, ENT_PHYSICAL_NAME, String(ent)));
    }
  }
}

function text(v: string | number | undefined): string | undefined {
  if (v === undefined) return undefined;
  const s = String(v).replace(/\s+/g, ' ').trim();
  return s.length ? s : undefined;
}

/** The first template that fully resolves; else the row index. Trimmed to 200 characters. */
export function renderLabel(templates: string[], index: string, walked: Walked): string {
  for (const t of templates) {
    let ok = true;
    const out = t.replace(TOKEN, (_m, body: string) => {
      const [p] = templatePlaceholders(`{${body}}`);
      const v = resolveOne(p!, index, walked);
      if (v === undefined) ok = false;
      return v ?? '';
    });
    if (ok && out.trim()) return out.trim().slice(0, 200);
  }
  return index.slice(0, 200);
}
