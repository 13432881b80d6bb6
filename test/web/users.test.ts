import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, UsersRepository, verifyPassword } from '../../collector/users/index.js';
import { COLLECTOR_CLI, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { CookieJar, postLoginForm, requestFrom } from '../helpers/http.js';
import { nodeEntry } from '../helpers/node-entry.js';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ silenceScanSeconds: 0 });
  await new UsersRepository(c.store).create({ name: 'zhang', role: 'engineer', passwordHash: await hashPassword('correct horse battery'), sites: [] });
});
afterAll(async () => {
  await c?.stop();
});

/** fetch without following redirects, so a 303 and its Location can be checked. */
const raw = (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${c.url}${path}`, { method, redirect: 'manual', ...init });
const form = (body: Record<string, string>, from?: string) => postLoginForm(c.url, body, { from });

describe('users, sessions, CSRF and the log-in rate limit', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const hash = await hashPassword('密码 with ünïcode');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('ünïcode');
    expect(await verifyPassword('密码 with ünïcode', hash)).toBe(true);
    expect(await verifyPassword('密码 with unicode', hash)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('a JSON log-in sets an HttpOnly SameSite session cookie; unsafe requests need its CSRF token', async () => {
    const res = await c.request('POST', '/login', { body: { name: 'zhang', password: 'correct horse battery' } });
    expect(res.status).toBe(200);
    const cookies = res.headers.getSetCookie();
    const session = cookies.find((x) => x.startsWith('xj_session='))!;
    expect(session).toMatch(/^xj_session=[\w-]{40,};/);
    expect(session.split('; ').slice(1).sort()).toEqual(['HttpOnly', 'Max-Age=43200', 'Path=/', 'SameSite=Strict']);
    const secret = cookies.find((x) => x.startsWith('xj_csrf='))!;
    expect(secret).toContain('HttpOnly');
    expect(secret).toContain('SameSite=Strict');
    const { csrf } = (await res.json()) as { csrf: string };
    const jar = cookies.map((x) => x.split(';')[0]).join('; ');
    const me = (await (await c.request('GET', '/api/v1/me', { headers: { cookie: jar } })).json()) as { name: string; via: string };
    expect(me).toMatchObject({ name: 'zhang', via: 'session' });
    // no token → 403, right token → the action runs (log-out redirects and ends the session)
    expect((await c.request('POST', '/logout', { headers: { cookie: jar } })).status).toBe(403);
    expect((await c.request('POST', '/logout', { headers: { cookie: jar, 'x-csrf-token': 'wrong' } })).status).toBe(403);
    // a token made for another session (here: the anonymous log-in form's) is refused too
    const anonymous = await requestFrom(`${c.url}/login`);
    const foreign = /name="_csrf" value="([^"]*)"/.exec(anonymous.body)![1]!;
    expect((await c.request('POST', '/logout', { headers: { cookie: jar, 'x-csrf-token': foreign } })).status).toBe(403);
    const out = await raw('POST', '/logout', { headers: { cookie: jar, 'x-csrf-token': csrf } });
    expect(out.status).toBe(303);
    expect((await c.request('GET', '/api/v1/me', { headers: { cookie: jar } })).status).toBe(401);
  });

  it('the log-in form needs its CSRF token: a cross-site form posting a password is refused', async () => {
    const without = await postLoginForm(c.url, { name: 'zhang', password: 'correct horse battery' }, { csrf: null });
    expect(without.status).toBe(403);
    expect(without.setCookies.some((x) => x.startsWith('xj_session='))).toBe(false);
    const forged = await postLoginForm(c.url, { name: 'zhang', password: 'correct horse battery' }, { csrf: 'made-up' });
    expect(forged.status).toBe(403);
    const ok = await postLoginForm(c.url, { name: 'zhang', password: 'correct horse battery' });
    expect(ok.status).toBe(303);
    expect(ok.setCookies.some((x) => x.startsWith('xj_session='))).toBe(true);
  });

  it('pages send an anonymous visitor to the log-in form, and never redirect off-site', async () => {
    const login = await raw('GET', '/login');
    expect(login.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(login.headers.get('x-frame-options')).toBe('DENY');
    const res = await raw('GET', '/sites/acme/review');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/login?next=%2Fsites%2Facme%2Freview');
    const ok = await form({ name: 'zhang', password: 'correct horse battery', next: '//evil.example/' });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/');
  });

  it('throttles a guessing source only: the right password from another address still logs in', async () => {
    // the stranger at 127.0.0.2 guesses zhang's password five times
    for (let i = 0; i < 5; i++) expect((await form({ name: 'zhang', password: `wrong ${i}` }, '127.0.0.2')).status).toBe(401);
    const blocked = await form({ name: 'zhang', password: 'correct horse battery' }, '127.0.0.2');
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.body).toMatch(/登录失败次数过多,请 \d+ 秒后再试/); // the page's language (Chinese by default)
    // zhang at 127.0.0.1 is not locked out, and the stranger's other guesses stay refused
    expect((await form({ name: 'zhang', password: 'correct horse battery' }, '127.0.0.1')).status).toBe(303);
    expect((await form({ name: 'zhang', password: 'wrong again' }, '127.0.0.2')).status).toBe(429);
  });

  it('one count across every collector on the database, kept across a restart', async () => {
    // A second collector on the same database file, as behind a load balancer.
    const other = await startTestCollector({ silenceScanSeconds: 0, ...c.sameStorage });
    try {
      for (let i = 0; i < 3; i++) expect((await form({ name: 'zhang', password: `guess ${i}` }, '127.0.0.5')).status).toBe(401);
      for (let i = 3; i < 5; i++) expect((await postLoginForm(other.url, { name: 'zhang', password: `guess ${i}` }, { from: '127.0.0.5' })).status).toBe(401);
      expect((await postLoginForm(other.url, { name: 'zhang', password: 'correct horse battery' }, { from: '127.0.0.5' })).status).toBe(429);
      expect((await form({ name: 'zhang', password: 'correct horse battery' }, '127.0.0.5')).status).toBe(429);
    } finally {
      await other.stop({ keep: true });
    }
    // A collector started afresh on the database still refuses that source.
    const restarted = await startTestCollector({ silenceScanSeconds: 0, ...c.sameStorage });
    try {
      expect((await postLoginForm(restarted.url, { name: 'zhang', password: 'correct horse battery' }, { from: '127.0.0.5' })).status).toBe(429);
    } finally {
      await restarted.stop({ keep: true });
    }
  }, 120_000);

  it('counts a source across user names, and X-Forwarded-For is ignored unless trustProxy says so', async () => {
    const users = new UsersRepository(c.store);
    await users.create({ name: 'wu', role: 'engineer', passwordHash: await hashPassword('another long secret'), sites: [] });
    // 30 failures from one address over many names close that address (the per-source step)…
    for (let i = 0; i < 30; i++) {
      const res = await form({ name: `nobody-${i}`, password: 'x' }, '127.0.0.3');
      expect(res.status).toBe(401);
    }
    expect((await form({ name: 'wu', password: 'another long secret' }, '127.0.0.3')).status).toBe(429);
    // …and a forged X-Forwarded-For does not open it again (trustProxy is off by default)
    const forged = await postLoginForm(c.url, { name: 'wu', password: 'another long secret' }, { from: '127.0.0.3', headers: { 'x-forwarded-for': '198.51.100.7' } });
    expect(forged.status).toBe(429);
    expect((await form({ name: 'wu', password: 'another long secret' }, '127.0.0.4')).status).toBe(303);
  }, 240_000); // 32 scrypt verifications: minutes on a loaded 2-core machine

  it('behind a TLS proxy (trustProxy): the forwarded address is the source and the cookies are Secure', async () => {
    const proxied = await startTestCollector({ silenceScanSeconds: 0, trustProxy: '127.0.0.1' });
    try {
      await new UsersRepository(proxied.store).create({ name: 'zhang', role: 'engineer', passwordHash: await hashPassword('correct horse battery'), sites: [] });
      const via = (client: string) => ({ 'x-forwarded-for': client, 'x-forwarded-proto': 'https' });
      for (let i = 0; i < 5; i++) {
        expect((await postLoginForm(proxied.url, { name: 'zhang', password: `wrong ${i}` }, { headers: via('203.0.113.9') })).status).toBe(401);
      }
      expect((await postLoginForm(proxied.url, { name: 'zhang', password: 'correct horse battery' }, { headers: via('203.0.113.9') })).status).toBe(429);
      const ok = await postLoginForm(proxied.url, { name: 'zhang', password: 'correct horse battery' }, { headers: via('198.51.100.20') });
      expect(ok.status).toBe(303);
      const session = ok.setCookies.find((x) => x.startsWith('xj_session='))!;
      expect(session).toContain('Secure');
    } finally {
      await proxied.stop();
    }
  });

  it('`xunjian collector user create` makes a customer for their sites and refuses one without', async () => {
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, [...nodeEntry(join(process.cwd(), 'test/web/fixtures/cli.ts')), 'collector', 'user', ...args, ...c.storageFlags], { input, encoding: 'utf8' });
    const made = run(['create', '--name', 'chen', '--role', 'customer', '--site', 'acme', '--site', 'beta', '--password-stdin'], 'customer-secret-9\n');
    expect(made.stderr).toBe('');
    expect(made.stdout).toContain('user chen (customer, sites acme, beta) created');
    const users = new UsersRepository(c.store);
    expect(await users.get('chen')).toMatchObject({ role: 'customer', sites: ['acme', 'beta'] });
    const refused = run(['create', '--name', 'zhao', '--role', 'customer']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('at least one --site');
    const generated = run(['create', '--name', 'admin1', '--role', 'admin']);
    expect(generated.stdout).toMatch(/password: [\w-]{16}/);
    expect(COLLECTOR_CLI).toBeTruthy();
  }, 240_000); // four CLI processes, each compiling TypeScript on start
});
