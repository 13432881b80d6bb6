import { createHash } from 'node:crypto';

/**
 * Which live collector polls a target: rendezvous hashing (highest random weight). Every member
 * computes the same owner from the same member list, a member leaving moves only its own targets,
 * and a member joining takes a fair share from each. Pure.
 */
export function ownerOf(key: string, members: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestWeight = -1n;
  for (const m of members) {
    const weight = createHash('sha256').update(m).update('\u0000').update(key).digest().readBigUInt64BE(0);
    if (weight > bestWeight || (weight === bestWeight && best !== undefined && m < best)) {
      best = m;
      bestWeight = weight;
    }
  }
  return best;
}
