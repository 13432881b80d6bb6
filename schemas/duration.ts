import { XunjianError } from './errors.js';

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "10s", "5m", "1.5h", "250ms" or a bare number of seconds → milliseconds. */
export function parseDuration(text: string, what = 'duration'): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) throw new XunjianError('USAGE', `invalid ${what} "${text}": use a number with ms, s, m, h or d (e.g. 10s, 5m)`);
  const ms = Number(match[1]) * UNITS[match[2] ?? 's']!;
  if (ms <= 0) throw new XunjianError('USAGE', `invalid ${what} "${text}": must be more than zero`);
  return ms;
}
