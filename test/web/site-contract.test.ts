import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import { CookieJar, requestFrom } from '../helpers/http.js';
import { seedSite, type SeededSite } from '../reports/seed.js';

/*
 * The contract number where a person sets the site: the dashboard's contract form beside the
 * contract start (customer's name and contract number, engineers and admins), the same rule as
 * PATCH /api/v1/sites/:site — one line of printable characters, at most 100 — and printed on the
 * report covers. A refusal stores nothing and reads in the page's language.
 */
let s: SeededSite;

beforeAll(async () => {
  s = await seedSite();
  const users = new UsersRepository(s.collector.store);
  await users.create({ name: 'wang', role: 'engineer', passwordHash: await hashPassword('engineer-pass-1'), sites: ['acme'] });
  await users.create({ name: 'li', role: 'customer', passwordHash: await hashPassword('customer-pass-1'), sites: ['acme'] });
}, 90_000);

afterAll(async () => {
  await s?.collector.stop();
});

async function session(name: 'wang' | 'li'): Promise<{ jar: CookieJar; csrf: string }> {
  const jar = new CookieJar();
  const res = await requestFrom(`${s.collector.url}/login`, { method: 'POST', jar, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: name === 'wang' ? 'engineer-pass-1' : 'customer-pass-1' }) });
  expect(res.status).toBe(200);
  jar.cookies.set('xj_lang', 'zh');
  return { jar, csrf: (JSON.parse(res.body) as { csrf: string }).csrf };
}
const post = (who: { jar: CookieJar; csrf: string }, fields: Record<string, string>) =>
  requestFrom(`${s.collector.url}/sites/acme/notify/contract`, { method: 'POST', jar: who.jar, body: new URLSearchParams({ ...fields, _csrf: who.csrf }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
const stored = async () => (await (await s.collector.request('GET', '/api/v1/sites/acme', { token: s.tokens.engineer })).json()) as { title: string | null; contractNo: string | null };
const cover = async () => {
  const body = await (await s.collector.request('GET', '/api/v1/sites/acme/reports/products?lang=zh', { token: s.tokens.engineer })).text();
  return /<dd data-cover="contractNo"[^>]*>([^<]*)<\/dd>/.exec(body)?.[1];
};

describe('the contract number on the dashboard', () => {
  it('an engineer sets the customer and the contract number; the covers print them; it is audited', async () => {
    const wang = await session('wang');
    const page = await requestFrom(`${s.collector.url}/sites/acme/notify`, { jar: wang.jar });
    expect(page.body).toContain('id="site-contract"');
    expect(page.body).toContain('合同编号');
    const res = await post(wang, { title: '  爱客银行  ', contractNo: ' 沪银维字(2026)第017号 ' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/sites/acme/notify');
    expect(await stored()).toMatchObject({ title: '爱客银行', contractNo: '沪银维字(2026)第017号' });
    expect(await cover()).toBe('沪银维字(2026)第017号');
    const again = await requestFrom(`${s.collector.url}/sites/acme/notify`, { jar: wang.jar });
    expect(again.body).toContain('name="contractNo" maxlength="100" value="沪银维字(2026)第017号"');
    const audit = (await (await s.collector.request('GET', '/api/v1/sites/acme/audit', { token: s.tokens.engineer })).json()) as { entries: { action: string; actor: string; detail: string | null }[] };
    expect(audit.entries.find((e) => e.action === 'site.update' && e.actor === 'wang')?.detail).toContain('沪银维字');
  });

  it('a contract number of two lines, with a control or bidi character, or over 100 characters is refused; nothing stored', async () => {
    const wang = await session('wang');
    for (const bad of ['HT-1\nHT-2', 'HT\u0007017', 'HT\u202e710', 'X'.repeat(101)]) {
      const res = await post(wang, { title: '爱客银行', contractNo: bad });
      expect(res.status).toBe(303);
      expect(res.headers.location, JSON.stringify(bad)).toBe('/sites/acme/notify?error=invalidFields&error.fields=contractNo');
      const page = await requestFrom(`${s.collector.url}${String(res.headers.location)}`, { jar: wang.jar });
      expect(page.body).toContain('操作未完成：以下内容填写有误：合同编号。');
      expect((await stored()).contractNo).toBe('沪银维字(2026)第017号');
    }
    // The API keeps the same limits.
    const api = await s.collector.request('PATCH', '/api/v1/sites/acme', { token: s.tokens.engineer, body: { contractNo: 'HT-1\nHT-2' } });
    expect(api.status).toBe(400);
    expect((await stored()).contractNo).toBe('沪银维字(2026)第017号');
  });

  it('an empty field clears it (the cover prints 未登记); a customer is refused and changes nothing', async () => {
    const li = await session('li');
    const refused = await post(li, { title: 'x', contractNo: 'FORGED-1' });
    expect(refused.headers.location).toBe('/sites/acme/notify?error=roleNeeded&error.roles=engineer%2Cadmin');
    expect((await stored()).contractNo).toBe('沪银维字(2026)第017号');
    const wang = await session('wang');
    expect((await post(wang, { title: '爱客银行', contractNo: '  ' })).headers.location).toBe('/sites/acme/notify');
    expect(await stored()).toMatchObject({ title: '爱客银行', contractNo: null });
    expect(await cover()).toBe('未登记');
  });
});
