/**
 * Exponential backoff with "equal jitter": the n-th consecutive failure waits between half and
 * all of min(cap, initial·2ⁿ). Never zero (no busy loop), never in lockstep across a site's agents.
 */
export function backoffDelay(failures: number, initialMs: number, maxMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(failures, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
