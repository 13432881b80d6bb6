/**
 * The two-collector deployment of the README, as written: Debian's HAProxy with
 * collector/deploy/haproxy.cfg (only the addresses and the check interval replaced) in front of two
 * collectors on one real PostgreSQL. A dashboard session opened through one collector is honoured by
 * the other (sessions and the CSRF key live in the database); reports go through either; when one
 * collector stops, every request still succeeds through the other.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser } from '../../collector/users/index.js';
import { realisticReport, startTestCollector, tempDir, until, type TestCollector } from '../helpers/collector.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../helpers/postgres.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const haproxyMissing = spawnSync('haproxy', ['-v']).status === 0 ? null : 'haproxy not installed (Debian package haproxy; .ci/system-packages.txt installs it)';
const missing = postgresMissing() ?? haproxyMissing;
if (missing) console.warn(`HAProxy deployment test skipped: ${missing}`);

const freePort = () =>
  new Promise<number>((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

describe.skipIf(missing !== null)('two collectors behind HAProxy (collector/deploy/haproxy.cfg)', () => {
  let pg: TestPostgres;
  const collectors: TestCollector[] = [];
  let haproxy: ChildProcess;
  let front: string;
  const dir = tempDir('xunjian-haproxy-');

  beforeAll(async () => {
    pg = await startPostgres();
    for (let i = 0; i < 2; i++) collectors.push(await startTestCollector({ storage: { url: pg.url }, trustProxy: '127.0.0.1', silenceScanSeconds: 0 }));
    await createUser(pg.url, { name: 'wang', role: 'engineer', sites: ['bank'], password: 'haproxy-pass-123' });
    const port = await freePort();
    const hostOf = (c: TestCollector) => new URL(c.url).host;
    const config = readFileSync(join(ROOT, 'collector/deploy/haproxy.cfg'), 'utf8')
      .replace('bind *:8470', `bind 127.0.0.1:${port}`)
      .replace('10.0.0.11:8470', hostOf(collectors[0]!))
      .replace('10.0.0.12:8470', hostOf(collectors[1]!))
      .replace('inter 2s fall 2 rise 2', 'inter 200ms fall 2 rise 1');
    const path = join(dir, 'haproxy.cfg');
    writeFileSync(path, config);
    haproxy = spawn('haproxy', ['-db', '-f', path], { stdio: ['ignore', 'ignore', 'pipe'] });
    front = `http://127.0.0.1:${port}`;
    await until('HAProxy to answer', async () => ((await fetch(`${front}/healthz`).catch(() => undefined))?.status === 200 ? true : undefined), 30_000, 100);
  }, 120_000);
  afterAll(async () => {
    haproxy?.kill('SIGTERM');
    for (const c of collectors) await c.stop().catch(() => undefined);
    pg?.stop();
  });

  it('keeps a dashboard session across both collectors, ingests through either, and survives one stopping', async () => {
    const login = await fetch(`${front}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'wang', password: 'haproxy-pass-123' }) });
    expect(login.status).toBe(200);
    const jar = login.headers.getSetCookie().map((x) => x.split(';')[0]).join('; ');
    const { csrf } = (await login.json()) as { csrf: string };
    // Round robin: these alternate between the collectors, and each knows the session.
    for (let i = 0; i < 6; i++) {
      const me = await fetch(`${front}/api/v1/me`, { headers: { cookie: jar } });
      expect(me.status).toBe(200);
      expect(await me.json()).toMatchObject({ name: 'wang', via: 'session' });
    }
    const agent = collectors[0]!.token('agent', 'bank', 'agent-db01', 'db01');
    await collectors[0]!.request('GET', '/healthz'); // the token's insert is awaited by the helper's next request
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${front}/api/v1/reports`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}`, 'x-forwarded-for': '203.0.113.9' }, body: JSON.stringify(realisticReport({ site: 'bank', hostname: 'db01', id: `via-haproxy-${i}`, at: new Date(Date.now() - (6 - i) * 60_000) })) });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    const ingested = await Promise.all(collectors.map(async (c) => (await c.app.metrics.render({ tenant: true })).match(/^xunjian_reports_ingested_total(?:\{[^}]*\})? (\d+)$/m)?.[1]));
    expect(ingested.map(Number)).toEqual([3, 3]);

    await collectors[0]!.stop();
    for (let i = 0; i < 10; i++) {
      const me = await fetch(`${front}/api/v1/me`, { headers: { cookie: jar } });
      expect(me.status).toBe(200);
    }
    // A form post with the session's CSRF token, accepted by the collector that did not issue it.
    const logout = await fetch(`${front}/logout`, { method: 'POST', redirect: 'manual', headers: { cookie: jar, 'x-csrf-token': csrf } });
    expect(logout.status).toBeLessThan(400);
    expect((await fetch(`${front}/api/v1/me`, { headers: { cookie: jar } })).status).toBe(401);
  }, 120_000);
});
