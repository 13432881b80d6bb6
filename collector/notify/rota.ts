import type { Lang, RotaRole } from '../../schemas/index.js';

export interface RotaRow {
  id: number;
  person: string;
  email: string | null;
  lang: Lang;
  role: RotaRole;
  startsAt: number | null;
  endsAt: number | null;
  special: string | null;
}

const covers = (r: RotaRow, at: number) => (r.startsAt === null || r.startsAt <= at) && (r.endsAt === null || at < r.endsAt);

/**
 * Who holds `role` at `at`. Three layers, the most specific present wins: a special period
 * (节假日值守, a holiday) replaces any other assignment while it lasts; a dated period replaces the
 * standing one; the standing assignment (no dates) applies otherwise. Pure.
 */
export function onDuty(rota: readonly RotaRow[], role: RotaRole, at: number): RotaRow[] {
  const covering = rota.filter((r) => r.role === role && covers(r, at));
  const special = covering.filter((r) => r.special !== null);
  if (special.length > 0) return special;
  const dated = covering.filter((r) => r.startsAt !== null || r.endsAt !== null);
  return dated.length > 0 ? dated : covering;
}
