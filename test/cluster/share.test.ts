import { describe, expect, it } from 'vitest';
import { ownerOf } from '../../collector/cluster/share.js';

const targets = Array.from({ length: 300 }, (_, i) => `snmp:${i + 1}`);
const owners = (members: string[]) => new Map(targets.map((t) => [t, ownerOf(t, members)]));

describe('rendezvous sharing of targets', () => {
  it('gives each target exactly one owner among the live members, the same whichever member computes it, in fair shares', () => {
    const members = ['c-1f', 'c-7a', 'c-b3'];
    const a = owners(members);
    expect(owners([...members].reverse())).toEqual(a);
    const counts = members.map((m) => [...a.values()].filter((o) => o === m).length);
    expect(counts.reduce((x, y) => x + y, 0)).toBe(300);
    for (const n of counts) expect(n).toBeGreaterThan(60); // 100 each expected
    expect(ownerOf('snmp:1', [])).toBeUndefined();
  });

  it('moves only the targets of a member that leaves, and a member that joins takes some from each', () => {
    const before = owners(['c-1f', 'c-7a', 'c-b3']);
    const after = owners(['c-1f', 'c-b3']);
    for (const t of targets) {
      if (before.get(t) !== 'c-7a') expect(after.get(t)).toBe(before.get(t));
      else expect(['c-1f', 'c-b3']).toContain(after.get(t));
    }
    const joined = owners(['c-1f', 'c-7a', 'c-b3', 'c-e9']);
    const moved = targets.filter((t) => joined.get(t) !== before.get(t));
    expect(moved.every((t) => joined.get(t) === 'c-e9')).toBe(true);
    for (const m of ['c-1f', 'c-7a', 'c-b3']) expect(moved.some((t) => before.get(t) === m)).toBe(true);
  });
});
