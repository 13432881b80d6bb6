import { describe, expect, it } from 'vitest';
import { redact, retryAfterMs } from './http.js';
import { fitBytes, markdownOf, subjectOf } from './render.js';

describe('channel helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('120')).toBe(120_000);
    expect(retryAfterMs('Fri, 04 Dec 2026 23:50:30 GMT', Date.parse('2026-12-04T23:50:00Z'))).toBe(30_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('wipes a secret and its URL-encoded form from a reason', () => {
    expect(redact('GET /send?key=a b+c failed (a%20b%2Bc)', ['a b+c'])).toBe('GET /send?key=[redacted] failed ([redacted])');
    expect(redact('short x', ['x'])).toBe('short x');
  });

  it('cuts markdown to a byte budget without splitting a character', () => {
    const cut = fitBytes('巡检'.repeat(2000), 4096);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(4096);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut).not.toContain('\ufffd');
    expect(fitBytes('short', 4096)).toBe('short');
  });

  it('puts the priority first and the link last', () => {
    const m = { id: '1', lang: 'en' as const, title: 'UPS on battery', lines: ['Site: hq'], link: 'https://x/t/1', priority: 'P2' as const };
    expect(subjectOf(m)).toBe('[P2] UPS on battery');
    expect(markdownOf(m)).toBe('**[P2] UPS on battery**\n\nSite: hq\n\n[Open in Xunjian](https://x/t/1)');
  });
});
