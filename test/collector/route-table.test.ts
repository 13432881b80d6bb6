import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../collector/app.js';
import type { TokenRole } from '../../collector/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { answersJson, pathWith, roleFor } from './fixtures/routes.js';

/**
 * Properties of every route, read from the app's own route table so that a route added later is
 * held to them too: each API route is in the OpenAPI description at /docs, every write and every
 * API read needs a token, and no path parameter or query string, however malformed, gets a 5xx.
 */
describe('every route', () => {
  let c: TestCollector;
  const tokens = new Map<TokenRole, string>();
  let routes: RouteEntry[] = [];

  beforeAll(async () => {
    c = await startTestCollector();
    for (const role of ['agent', 'engineer', 'customer'] as const) tokens.set(role, c.token(role, 'acme'));
    tokens.set('admin', c.token('admin', null));
    const res = await c.request('POST', '/api/v1/reports', { token: tokens.get('agent'), body: realisticReport({ psuFault: true }) });
    expect(res.status).toBe(201);
    routes = [...c.app.routeTable];
  });
  afterAll(async () => c?.stop());

  it('is described in the OpenAPI document at /docs/json when it is part of the API, with its body', async () => {
    const doc = (await (await c.request('GET', '/docs/json')).json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    const api = routes.filter((r) => r.url.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(40);
    const missing: string[] = [];
    for (const route of api) {
      const operation = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (!operation) missing.push(`${route.method} ${route.url}`);
      else if (route.body && !operation.requestBody) missing.push(`${route.method} ${route.url} (its body)`);
    }
    expect(missing).toEqual([]);
    // The page itself is served without a token.
    expect((await c.request('GET', '/docs')).status).toBeLessThan(400);
  });

  it('refuses a request without a token with 401 at every write route and every API route', async () => {
    // Log-in and log-out are how a browser gets and drops its session; they need none.
    const open = new Set(['POST /login', 'POST /logout']);
    const guarded = routes.filter((r) => (r.method !== 'GET' || r.url.startsWith('/api/')) && !open.has(`${r.method} ${r.url}`));
    expect(guarded.length).toBeGreaterThan(50);
    const answered: string[] = [];
    for (const route of guarded) {
      const writes = route.method !== 'GET' && route.method !== 'DELETE';
      const res = await fetch(`${c.url}${pathWith(route.url)}`, {
        method: route.method, redirect: 'manual', ...(writes ? { headers: { 'content-type': 'application/json' }, body: '{}' } : {}),
      });
      if (res.status !== 401) answered.push(`${route.method} ${route.url} → ${res.status}`);
    }
    expect(answered).toEqual([]);
  });

  const BAD_PARAMS: [string, string][] = [
    ['invalid percent-encoding', '%ff%fe'],
    ['a NUL byte', '%00'],
    ['a path escape', '..%2F..%2Fetc%2Fpasswd'],
    ['a huge number', '99999999999999999999999999'],
    ['a negative number', '-1'],
    ['an exponent', '1e3'],
    ['an emoji', encodeURIComponent('😀')],
    ['4,000 characters', 'x'.repeat(4000)],
  ];

  it.each(BAD_PARAMS)('answers %s in every path parameter with a 4xx (JSON with a message from the API), never a 5xx', async (_name, raw) => {
    const failures: string[] = [];
    for (const route of routes) {
      if (!/[:*]/.test(route.url)) continue;
      // pathWith encodes; the raw value goes in as sent on the wire.
      const path = pathWith(route.url, () => '\u0001').replaceAll('%01', raw);
      const failure = await judge(route, path);
      if (failure) failures.push(failure);
    }
    expect(failures).toEqual([]);
  });

  const BAD_QUERIES: [string, string][] = [
    ['nonsense values for the known parameters', 'limit=abc&cursor=%ff&status=nope&overdue=maybe&priority=P9&format=exe&revision=-3&month=2026-13&site=&device=&lang=xx&fragment=2'],
    ['repeated parameters', 'limit=1&limit=2&status=open&status=closed&site=a&site=b'],
    ['bracketed and prototype keys', '__proto__[role]=admin&constructor[prototype][x]=1&limit[]=5'],
    ['extreme numbers', 'limit=1e308&revision=99999999999999999999&cursor=' + 'A'.repeat(3000)],
  ];

  it.each(BAD_QUERIES)('answers %s in the query string without a 5xx', async (_name, query) => {
    const failures: string[] = [];
    for (const route of routes) {
      const failure = await judge(route, `${pathWith(route.url)}?${query}`, true);
      if (failure) failures.push(failure);
    }
    expect(failures).toEqual([]);
  });

  /** A failure description, or undefined when the answer is acceptable for a bad request. */
  async function judge(route: RouteEntry, path: string, mayAccept = false): Promise<string | undefined> {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(roleFor(route))}` };
    const writes = ['POST', 'PUT', 'PATCH'].includes(route.method);
    if (writes) headers['content-type'] = 'application/json';
    const res = await fetch(`${c.url}${path}`, { method: route.method, headers, redirect: 'manual', ...(writes ? { body: '{}' } : {}) });
    const text = await res.text();
    const where = `${route.method} ${route.url} as ${path.slice(0, 120)} → ${res.status} ${text.slice(0, 160)}`;
    if (res.status >= 500) return where;
    // Unknown query parameters are ignored, so a query string alone may be answered normally.
    if (res.status < 400) return mayAccept || res.status === 303 || !answersJson(route) ? undefined : `${where} (accepted)`;
    if (!answersJson(route)) return undefined;
    try {
      return (JSON.parse(text) as { message?: string }).message ? undefined : `${where} (no message)`;
    } catch {
      return `${where} (not JSON)`;
    }
  }
});
