import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, LoginLimiter, UsersRepository, verifyPassword } from '../../collector/users/index.js';
import { COLLECTOR_CLI, startTestCollector, type TestCollector } from '../helpers/collector.js';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector({ silenceScanSeconds: 0 });
  new UsersRepository(c.db).create({ name: 'zhang', role: 'engineer', passwordHash: await hashPassword('correct horse battery'), sites: [] });
});
afterAll(async () => {
  await c?.stop();
});

/** fetch without following redirects, so a 303 and its Location can be checked. */
const raw = (method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${c.url}${path}`, { method, redirect: 'manual', ...init });
const form = (body: Record<string, string>) =>
  raw('POST', '/login', { body: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

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
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^xj_session=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const { csrf } = (await res.json()) as { csrf: string };
    const session = cookie.split(';')[0]!;
    const me = (await (await c.request('GET', '/api/v1/me', { headers: { cookie: session } })).json()) as { name: string; via: string };
    expect(me).toMatchObject({ name: 'zhang', via: 'session' });
    // no token → 403, right token → the action runs (log-out redirects and ends the session)
    expect((await c.request('POST', '/logout', { headers: { cookie: session } })).status).toBe(403);
    expect((await c.request('POST', '/logout', { headers: { cookie: session, 'x-csrf-token': 'wrong' } })).status).toBe(403);
    const out = await raw('POST', '/logout', { headers: { cookie: session, 'x-csrf-token': csrf } });
    expect(out.status).toBe(303);
    expect((await c.request('GET', '/api/v1/me', { headers: { cookie: session } })).status).toBe(401);
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
    expect(ok.headers.get('location')).toBe('/');
  });

  it('rate-limits failed log-ins: the sixth attempt within 15 minutes is a 429, even with the right password', async () => {
    for (let i = 0; i < 5; i++) expect((await form({ name: 'zhang', password: `wrong ${i}` })).status).toBe(401);
    const blocked = await form({ name: 'zhang', password: 'correct horse battery' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const limiter = new LoginLimiter(2, 1000);
    limiter.fail(['k'], 0);
    limiter.fail(['k'], 10);
    expect(limiter.retryAfter(['k'], 500)).toBe(1);
    expect(limiter.retryAfter(['k'], 1011)).toBe(0);
  });

  it('`xunjian collector user create` makes a customer for their sites and refuses one without', () => {
    const run = (args: string[], input?: string) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(process.cwd(), 'test/web/fixtures/cli.ts'), 'collector', 'user', ...args, '--db', c.dbPath], { input, encoding: 'utf8' });
    const made = run(['create', '--name', 'chen', '--role', 'customer', '--site', 'acme', '--site', 'beta', '--password-stdin'], 'customer-secret-9\n');
    expect(made.stderr).toBe('');
    expect(made.stdout).toContain('user chen (customer, sites acme, beta) created');
    const users = new UsersRepository(c.db);
    expect(users.get('chen')).toMatchObject({ role: 'customer', sites: ['acme', 'beta'] });
    const refused = run(['create', '--name', 'zhao', '--role', 'customer']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('at least one --site');
    const generated = run(['create', '--name', 'admin1', '--role', 'admin']);
    expect(generated.stdout).toMatch(/password: [\w-]{16}/);
    expect(COLLECTOR_CLI).toBeTruthy();
  });
});
