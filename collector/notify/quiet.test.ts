import { describe, expect, it } from 'vitest';
import { releaseAt } from './quiet.js';
import { onDuty, type RotaRow } from './rota.js';

const at = (iso: string) => Date.parse(iso);

describe('quiet hours', () => {
  const night = { quietHours: { start: '22:00', end: '07:00' } };
  it.each([
    ['P3 at 23:00 waits for 07:00 the next day', 'P3', '2026-11-28T23:00:00Z', '2026-11-29T07:00:00Z'],
    ['P4 at 03:00 waits for 07:00 the same day', 'P4', '2026-11-29T03:00:00Z', '2026-11-29T07:00:00Z'],
    ['no priority (maintenance) at 22:00 waits', null, '2026-11-28T22:00:00Z', '2026-11-29T07:00:00Z'],
    ['P1 at 03:00 is never held', 'P1', '2026-11-29T03:00:00Z', '2026-11-29T03:00:00Z'],
    ['P2 at 23:30 is never held', 'P2', '2026-11-28T23:30:00Z', '2026-11-28T23:30:00Z'],
    ['P3 at 07:00 is out of the quiet hours', 'P3', '2026-11-29T07:00:00Z', '2026-11-29T07:00:00Z'],
    ['P3 at 12:00 goes at once', 'P3', '2026-11-29T12:00:00Z', '2026-11-29T12:00:00Z'],
  ] as const)('%s', (_name, priority, when, expected) => {
    expect(new Date(releaseAt(night, priority, at(when), 'UTC')).toISOString()).toBe(new Date(expected).toISOString());
  });
  it("reads the hours in the site's zone: 23:00 in Shanghai (15:00 UTC) waits for 07:00 there (23:00 UTC)", () => {
    expect(new Date(releaseAt(night, 'P3', at('2026-11-28T15:00:00Z'), 'Asia/Shanghai')).toISOString()).toBe('2026-11-28T23:00:00.000Z');
    expect(releaseAt(night, 'P3', at('2026-11-28T22:30:00Z'), 'Asia/Shanghai')).toBe(at('2026-11-28T23:00:00Z')); // 06:30 there
    expect(releaseAt(night, 'P3', at('2026-11-29T04:00:00Z'), 'Asia/Shanghai')).toBe(at('2026-11-29T04:00:00Z')); // 12:00 there
  });
  it('holds within a daytime window too (12:00–13:00), and nothing without quiet hours', () => {
    expect(releaseAt({ quietHours: { start: '12:00', end: '13:00' } }, 'P3', at('2026-11-29T12:30:00Z'), 'UTC')).toBe(at('2026-11-29T13:00:00Z'));
    expect(releaseAt({}, 'P4', at('2026-11-29T03:00:00Z'), 'UTC')).toBe(at('2026-11-29T03:00:00Z'));
  });
});

describe('the rota', () => {
  const row = (id: number, person: string, extra: Partial<RotaRow> = {}): RotaRow => ({ id, person, email: null, lang: 'zh', role: 'on_duty', startsAt: null, endsAt: null, special: null, ...extra });
  const rota = [
    row(1, '张工'),
    row(2, 'Bob', { role: 'backup' }),
    row(3, '李工', { startsAt: at('2026-12-01T00:00:00Z'), endsAt: at('2026-12-08T00:00:00Z') }),
    row(4, '赵工', { startsAt: at('2026-12-05T00:00:00Z'), endsAt: at('2026-12-06T00:00:00Z'), special: '节假日值守' }),
  ];
  it.each([
    ['the standing engineer outside any period', '2026-11-30T12:00:00Z', ['张工']],
    ['a dated period replaces the standing one', '2026-12-02T12:00:00Z', ['李工']],
    ['a holiday (节假日值守) replaces both', '2026-12-05T12:00:00Z', ['赵工']],
    ['the period ends at its until (exclusive)', '2026-12-08T00:00:00Z', ['张工']],
  ])('%s', (_name, when, people) => {
    expect(onDuty(rota, 'on_duty', at(when)).map((r) => r.person)).toEqual(people);
  });
  it('answers per role, and nobody when the role has no one', () => {
    expect(onDuty(rota, 'backup', at('2026-12-05T12:00:00Z')).map((r) => r.person)).toEqual(['Bob']);
    expect(onDuty(rota, 'manager', at('2026-12-05T12:00:00Z'))).toEqual([]);
  });
});
