import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../collector/app.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';
import { encode, headersFor, nastyString, paramFor, prng, queryFor, valueFor, type Rng } from './fixtures/fuzz.js';
import { PARAM_SAMPLES } from './fixtures/routes.js';

/*
 * Generated requests at every route of the route table (read from the app, so a route added later
 * is fuzzed too), with every role's token, a bound agent token, a revoked one, garbage and none:
 * bodies from each route's schema with hostile values, path parameters, query strings, headers and
 * Unicode. No answer may be a 5xx, no request may break the connection, and /healthz answers
 * after. XUNJIAN_FUZZ_SEED reproduces a run; XUNJIAN_FUZZ_REQUESTS sets how many.
 */
const SEED = Number(process.env.XUNJIAN_FUZZ_SEED ?? 0x5eed10);
const REQUESTS = Number(process.env.XUNJIAN_FUZZ_REQUESTS ?? 10_200);
const CONCURRENCY = 8;

let c: TestCollector;
let routes: RouteEntry[] = [];
const tokens: Record<string, string | undefined> = {};
/** What the server logged at error level: the stack of each 5xx, so a failure names its cause. */
const serverErrors: string[] = [];

beforeAll(async () => {
  c = await startTestCollector({}, { logger: { level: 'error', stream: { write: (line: string) => void serverErrors.push(line) } } });
  tokens.engineer = c.token('engineer', 'acme', 'fuzz-engineer');
  tokens.customer = c.token('customer', 'acme', 'fuzz-customer');
  tokens.admin = c.token('admin', null, 'fuzz-admin');
  tokens.agent = c.token('agent', 'acme', 'fuzz-agent', 'db01');
  tokens.otherSite = c.token('engineer', 'globex', 'fuzz-other');
  tokens.garbage = 'xj_' + 'A'.repeat(43);
  tokens.none = undefined;
  // Something for the handlers to find: db01 with an open ticket (#1), a maintenance request (#1).
  const seeded = await c.request('POST', '/api/v1/reports', { token: tokens.agent, body: realisticReport({ hostname: 'db01', psuFault: true, site: 'acme' }) });
  expect(seeded.status).toBe(201);
  routes = [...c.app.routeTable];
}, 60_000);
afterAll(async () => c?.stop());

function requestFor(route: RouteEntry, r: Rng): { path: string; init: RequestInit; role: string } {
  const path = route.url.replace(/:(\w+)|\*$/g, (m, name: string | undefined) => paramFor(PARAM_SAMPLES[name ?? m] ?? 'x', r)) + queryFor(r);
  const role = r.pick(Object.keys(tokens));
  const headers: Record<string, string> = headersFor(r);
  const token = tokens[role];
  if (token) headers.authorization = r.chance(0.95) ? `Bearer ${token}` : r.pick([`Basic ${token}`, `Bearer ${token} extra`, 'Bearer', token]);
  let body: string | undefined;
  if (route.method !== 'GET' && route.method !== 'DELETE' && r.chance(0.92)) {
    const kind = r.int(10);
    if (kind < 7) body = JSON.stringify(valueFor(route.body, r));
    else if (kind === 7) body = nastyString(r);
    else if (kind === 8) body = JSON.stringify(valueFor(route.body, r)).slice(0, -1 - r.int(5));
    else body = `${'['.repeat(100)}${']'.repeat(100)}`;
    headers['content-type'] = r.pick(['application/json', 'application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1']);
    if (headers['content-type'] === 'application/x-www-form-urlencoded') body = `note=${encode(nastyString(r))}&_csrf=x`;
  }
  return { path, role, init: { method: route.method, headers, redirect: 'manual', ...(body !== undefined ? { body } : {}) } };
}

describe('fuzzing every route', () => {
  it(`answers ${REQUESTS} generated requests without a 5xx or a broken connection, then /healthz`, async () => {
    const r = prng(SEED);
    expect(routes.length).toBeGreaterThan(60);
    const plan = Array.from({ length: REQUESTS }, (_, i) => {
      // Every route in turn, so each gets its share whatever the PRNG draws; the rest is random.
      const route = i < routes.length * 20 ? routes[i % routes.length]! : r.pick(routes);
      return { route, ...requestFor(route, r) };
    });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < plan.length) {
        const p = plan[next++]!;
        try {
          const res = await fetch(`${c.url}${p.path}`, p.init);
          await res.arrayBuffer();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) failures.push(`${p.route.method} ${p.route.url} as ${p.role}: ${p.path.slice(0, 100)} → ${res.status}`);
        } catch (err) {
          // fetch itself refuses some URLs (a bare % in a path): not a request the server saw.
          if (err instanceof TypeError && !/fetch failed/.test(err.message)) {
            statuses.set(0, (statuses.get(0) ?? 0) + 1);
            continue;
          }
          failures.push(`${p.route.method} ${p.route.url} as ${p.role}: ${p.path.slice(0, 100)} → ${(err as Error).message} ${String((err as { cause?: unknown }).cause ?? '')}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const sent = [...statuses.entries()].filter(([s]) => s !== 0).reduce((n, [, k]) => n + k, 0);
    const table = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s === 0 ? 'not sent (fetch refused the URL)' : s}: ${n}`).join(', ');
    process.stdout.write(`fuzz: seed ${SEED}, ${plan.length} requests generated over ${routes.length} routes, ${sent} answered; statuses ${table}\n`);
    expect({ failures: failures.slice(0, 20), serverErrors: serverErrors.slice(0, 5).map((e) => e.slice(0, 1500)) }).toEqual({ failures: [], serverErrors: [] });
    expect(sent).toBeGreaterThanOrEqual(10_000);
    const health = await c.request('GET', '/healthz');
    expect(health.status).toBe(200);
  }, 600_000);
});
