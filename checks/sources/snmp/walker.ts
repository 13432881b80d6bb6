/**
 * Walks many columns of one device together: every GETBULK carries several columns (one varbind
 * each), so a profile's sixty columns — most of them short or absent on a given device — cost a few
 * requests instead of one or more per column. The first round asks every column for a few rows
 * (an absent or short column is done there); later rounds walk what is left, neighbouring columns
 * (the same table) together, with max-repetitions sized so that an answer stays near
 * BULK_VARBINDS objects whatever the number of columns. An agent that truncates a large answer
 * (RFC 3416 §4.2.3) simply leaves the rest for the next round.
 *
 * A request that times out or fails is not guessed at: its columns are walked one by one by the
 * caller's per-column walker, which knows partial answers (one silent table) from a dead device.
 */
import { SnmpTimeoutError } from './errors.js';
import { compareOids, type SnmpSession, type WalkedRow } from './session.js';
import { addWalk, type Walked } from './walked.js';

/**
 * Objects asked per GETBULK answer (columns × max-repetitions never exceed it): ~3 KB. Agents cap
 * an answer's objects themselves (pysnmp and snmpsimd at 64), and snmpsimd 0.4.5 loops forever when
 * its cap is below columns × max-repetitions and not a multiple of the columns (it divides in
 * floating point and counts down to a zero it never meets), so we never ask past 64.
 */
export const BULK_VARBINDS = 64;
/** max-repetitions of the first round: a column of up to 2 rows is done in one request. */
export const FIRST_REPETITIONS = 3;
/** Columns per request in the first round (× FIRST_REPETITIONS ≤ BULK_VARBINDS). */
const FIRST_ROUND_COLUMNS = Math.floor(BULK_VARBINDS / FIRST_REPETITIONS);
/** Requests in flight to one device: an agent answers one at a time anyway. */
const IN_FLIGHT = 2;
const MAX_ROWS = 20_000;

interface ColumnWalk {
  column: string;
  prefix: string;
  cursor: string;
  rows: WalkedRow[];
  done: boolean;
}

export interface TogetherResult {
  /** Columns whose request failed (timed out or refused): to be walked one by one. */
  unread: string[];
  /** How many requests timed out. */
  timeouts: number;
  /** The first timeout's message. */
  timeoutMessage?: string;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Files the answer's objects under their columns; a column is done when its objects leave it. */
function take(walks: ColumnWalk[], answer: { oid: string; value: unknown; end: boolean }[][]): void {
  walks.forEach((w, i) => {
    for (const vb of answer[i] ?? []) {
      if (vb.end || !vb.oid.startsWith(w.prefix) || compareOids(vb.oid, w.cursor) <= 0) {
        w.done = true;
        return;
      }
      if (vb.value !== undefined) w.rows.push({ oid: vb.oid, value: vb.value as WalkedRow['value'] });
      w.cursor = vb.oid;
      if (w.rows.length >= MAX_ROWS) {
        w.done = true;
        return;
      }
    }
  });
}

/**
 * Walks `columns` (v2c/v3) into `walked`, `concurrency` requests in flight. Resolves with the
 * columns it could not read because their request failed; every other column is complete.
 */
export async function walkTogether(session: SnmpSession, columns: string[], walked: Walked, concurrency: number): Promise<TogetherResult> {
  const walks: ColumnWalk[] = [...columns].sort(compareOids).map((column) => ({ column, prefix: `${column}.`, cursor: column, rows: [], done: false }));
  const result: TogetherResult = { unread: [], timeouts: 0 };
  const failed = new Set<ColumnWalk>();
  for (let round = 0; ; round++) {
    const pending = walks.filter((w) => !w.done && !failed.has(w));
    if (pending.length === 0) break;
    const perRequest = round === 0 ? FIRST_ROUND_COLUMNS : Math.max(1, Math.floor(BULK_VARBINDS / 8));
    const requests = chunks(pending, perRequest);
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const batch = requests[next++]!;
        const reps = round === 0 ? FIRST_REPETITIONS : Math.max(1, Math.floor(BULK_VARBINDS / batch.length));
        const before = batch.map((w) => w.cursor);
        try {
          take(batch, await session.bulkNext(before, reps));
          // An answer that moved no column forward (an agent truncating to nothing) must not loop.
          if (batch.every((w, i) => !w.done && w.cursor === before[i])) for (const w of batch) failed.add(w);
        } catch (e) {
          for (const w of batch) failed.add(w);
          if (e instanceof SnmpTimeoutError) {
            result.timeouts++;
            result.timeoutMessage ??= e.message;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, IN_FLIGHT, requests.length) }, worker));
  }
  for (const w of walks) {
    if (failed.has(w)) result.unread.push(w.column);
    else addWalk(walked, w.column, w.rows);
  }
  return result;
}
