import type { Measurement } from '../../schemas/index.js';

/** Measurements of one check grouped by component, in the order they first appear. */
export function byComponent(measurements: Measurement[]): Map<string, Measurement[]> {
  const groups = new Map<string, Measurement[]>();
  for (const m of measurements) {
    const list = groups.get(m.component);
    if (list) list.push(m);
    else groups.set(m.component, [m]);
  }
  return groups;
}

/** The last measurement of `metric` in a component's list (a later reading supersedes). */
export function latest(list: Measurement[], metric: string): Measurement | undefined {
  for (let i = list.length - 1; i >= 0; i--) if (list[i]!.metric === metric) return list[i];
  return undefined;
}
