import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../schemas/index.js';
import { localInstant, timeInput } from './local-time.js';

describe('localInstant: a typed local time read in the site zone', () => {
  it.each([
    ['2026-11-28 10:00', 'Asia/Shanghai', '2026-11-28T02:00:00.000Z'],
    ['2026-11-28T10:00', 'Asia/Shanghai', '2026-11-28T02:00:00.000Z'],
    ['  2026-11-28 10:00:30 ', 'Asia/Shanghai', '2026-11-28T02:00:30.000Z'],
    ['2026-07-01 12:00', 'Europe/Berlin', '2026-07-01T10:00:00.000Z'],
    ['2026-01-01 00:00', 'UTC', '2026-01-01T00:00:00.000Z'],
  ])('%s in %s is %s', (typed, zone, iso) => {
    expect(localInstant(typed, zone, 'due')).toBe(iso);
  });

  it('nothing typed is nothing', () => {
    expect(localInstant(undefined, 'Asia/Shanghai', 'due')).toBeUndefined();
    expect(localInstant('  ', 'Asia/Shanghai', 'due')).toBeUndefined();
  });

  it.each(['11/28/2026 10:00', '28.11.2026 10:00', '2026-02-31 10:00', '2026-11-28 24:00', '2026-11-28 10:60', '2026-11-28T10:00Z', '2026-11-28', 'tomorrow'])(
    '%s is a 400 naming the field, never read in the server zone',
    (typed) => {
      let thrown: unknown;
      try {
        localInstant(typed, 'Asia/Shanghai', 'windowStart');
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(ValidationError);
      expect((thrown as ValidationError).issues[0]).toMatchObject({ path: '/windowStart' });
      expect((thrown as ValidationError).message).toContain('YYYY-MM-DD HH:mm');
    },
  );
});

describe('timeInput', () => {
  it('is a text field in ISO order with its pattern, an example and the hint in the page language', () => {
    const zh = timeInput('zh', 'datetime', 'due', { required: true }).markup;
    expect(zh).toContain('type="text"');
    expect(zh).toContain('placeholder="2026-11-28 14:30"');
    expect(zh).toContain('title="年-月-日 时:分');
    expect(zh).toContain(' required');
    expect(timeInput('en', 'month', 'month', { value: '2026-10' }).markup).toMatch(/pattern="\\d\{4\}-\\d\{2\}".*value="2026-10"/);
    expect(timeInput('en', 'date', 'warrantyUntil', { value: '"><script>' }).markup).not.toContain('<script>');
  });
});
