import type { ComponentStatus } from '../../../../schemas/index.js';
import { emptyResult, lines, measurement, worse, type ParseContext, type ParseResult } from '../types.js';

interface MdArray {
  name: string;
  state: string;
  level?: string;
  members: string[];
  failedMembers: string[];
  slots?: { wanted: number; working: number };
  map?: string;
  action?: { kind: string; progress: string };
}

const HEADER = /^(md[\w/]+)\s*:\s*(active|inactive)(?:\s*\(([^)]*)\))?\s*(.*)$/;

function readArrays(text: string): MdArray[] {
  const arrays: MdArray[] = [];
  let current: MdArray | undefined;
  for (const raw of lines(text)) {
    const line = raw.trim();
    const h = HEADER.exec(line);
    if (h) {
      const rest = (h[4] ?? '').split(/\s+/).filter(Boolean);
      const level = rest[0] && !rest[0].includes('[') ? rest.shift() : undefined;
      current = {
        name: h[1]!,
        state: h[3] ? `${h[2]} (${h[3]})` : h[2]!,
        members: rest.map((m) => m.replace(/\[\d+\]/, '')),
        failedMembers: rest.filter((m) => m.includes('(F)')).map((m) => m.replace(/\[\d+\].*$/, '')),
      };
      if (level) current.level = level;
      arrays.push(current);
      continue;
    }
    if (!current) continue;
    if (line === '' || line.startsWith('unused devices')) {
      current = undefined;
      continue;
    }
    const slots = /\[(\d+)\/(\d+)\]\s+\[([U_]+)\]/.exec(line);
    if (slots) {
      current.slots = { wanted: Number(slots[1]), working: Number(slots[2]) };
      current.map = slots[3]!;
    }
    const action = /\b(recovery|resync|reshape|check|repair)\s*=\s*(\S+)/.exec(line);
    if (action) current.action = { kind: action[1]!, progress: action[2]! };
  }
  return arrays;
}

/**
 * `/proc/mdstat`: one SXKR-003 `module.state` per Linux software RAID array.
 * fault: inactive, degraded ([n/m] with m < n, or `_` in the map) or a member marked (F);
 * warning: a resync/recovery/reshape in progress on a complete array; a `check` or `repair`
 * (the distributions' routine monthly scrub) is normal.
 */
export function parseMdstat(text: string, ctx: ParseContext): ParseResult {
  const result = emptyResult();
  for (const a of readArrays(text)) {
    let status: ComponentStatus = 'ok';
    const notes: string[] = [];
    if (a.state.startsWith('inactive')) {
      status = 'fault';
      notes.push('array inactive');
    }
    // Right after a failure the kernel's count can still read [2/2] while the map shows [U_]:
    // the map, one letter per slot, is the one to believe.
    const working = a.map ? [...a.map].filter((c) => c === 'U').length : a.slots?.working;
    if (a.slots && working !== undefined && working < a.slots.wanted) {
      status = worse(status, 'fault');
      notes.push(`degraded: ${working} of ${a.slots.wanted} devices working`);
    }
    if (a.failedMembers.length > 0) {
      status = worse(status, 'fault');
      notes.push(`failed member(s): ${a.failedMembers.join(', ')}`);
    }
    if (a.action && ['recovery', 'resync', 'reshape'].includes(a.action.kind)) {
      status = worse(status, 'warning');
      notes.push(`${a.action.kind} in progress (${a.action.progress})`);
    }
    const parts = [a.state, a.level, a.slots ? `[${a.slots.wanted}/${a.slots.working}]` : undefined, a.map ? `[${a.map}]` : undefined];
    if (a.action) parts.push(`${a.action.kind}=${a.action.progress}`);
    const value = parts.filter(Boolean).join(' ');
    const detail = [`members: ${a.members.join(' ') || 'none'}`, ...notes].join('; ');
    result.measurements.push(measurement(ctx, 'SXKR-003', a.name, 'module.state', value, { status, detail }));
  }
  return result;
}
