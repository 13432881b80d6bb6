import { describe, expect, it } from 'vitest';
import { isSealed, openSealed, sealInspection } from './field-seal.js';

describe('sealing the saved inspection', () => {
  const text = JSON.stringify({ site: 'hq', devices: [{ host: '10.1.2.3', hostname: 'core-sw1' }] });

  it('opens with its key, and two seals of the same text differ (fresh salt and IV)', () => {
    const a = sealInspection(text, 'k1');
    const b = sealInspection(text, 'k1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('10.1.2.3');
    const parsed = JSON.parse(a) as unknown;
    expect(isSealed(parsed)).toBe(true);
    expect(isSealed({ site: 'hq' })).toBe(false);
    if (isSealed(parsed)) expect(openSealed(parsed, 'k1', 'f')).toBe(text);
  });

  it('refuses no key, a wrong key and a changed byte with a usage error naming the file', () => {
    const sealed = JSON.parse(sealInspection(text, 'k1')) as Parameters<typeof openSealed>[0];
    expect(() => openSealed(sealed, undefined, 'a.enc')).toThrow('a.enc is encrypted: set XUNJIAN_FIELD_KEY');
    expect(() => openSealed(sealed, 'k2', 'a.enc')).toThrow('wrong XUNJIAN_FIELD_KEY');
    const data = Buffer.from(sealed.data, 'base64');
    data[0] = data[0]! ^ 1;
    expect(() => openSealed({ ...sealed, data: data.toString('base64') }, 'k1', 'a.enc')).toThrow('or the file was changed');
  });
});
