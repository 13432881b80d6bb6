import type { TSchema } from '@sinclair/typebox';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../collector/app.js';
import type { TokenRole } from '../../collector/index.js';
import { answersJson, pathWith, roleFor } from './fixtures/routes.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/**
 * Every write route of the collector — enumerated from the app's own route table, so a route
 * added later is covered without touching this file — gets malformed bodies thrown at it through
 * a real listening server: each must be a 4xx with a message, never a 5xx. The dashboard's form
 * routes answer a browser, so for them a redirect carrying the error also counts.
 */

const BODY_LIMIT = 128 * 1024;

/** A value of a type the schema does not allow. */
function wrongValueFor(schema: TSchema): unknown {
  switch (schema.type) {
    case 'string': return 12345;
    case 'number':
    case 'integer': return 'not a number';
    case 'boolean': return 'yes';
    case 'array': return { not: 'an array' };
    case 'object': return 'not an object';
    default: return [[{ nested: [] }]];
  }
}

/** The body's top-level properties (of an object body, or of the items of an array body). */
function propertiesOf(schema: TSchema | undefined): Record<string, TSchema> {
  if (!schema) return {};
  if (schema.type === 'array' && schema.items) return propertiesOf(schema.items as TSchema);
  return (schema.properties as Record<string, TSchema> | undefined) ?? {};
}

/** The body with every top-level property replaced by `value(property schema)`, wrapped like the schema. */
function bodyWith(schema: TSchema | undefined, value: (s: TSchema) => unknown): unknown {
  const props = propertiesOf(schema);
  const names = Object.keys(props).length ? Object.keys(props) : ['note'];
  const object = Object.fromEntries(names.map((n) => [n, value(props[n] ?? ({ type: 'string' } as unknown as TSchema))]));
  return schema?.type === 'array' ? [object] : object;
}

interface Malformed {
  name: string;
  /** Raw bytes or text, and its content type (none: no header). */
  body: (route: RouteEntry) => string | Buffer | ReadableStream<Uint8Array>;
  type?: string;
  /** A content-encoding header. */
  encoding?: string;
  /** Only where it is malformed: e.g. a bare number is a fine body for a route that takes none. */
  appliesTo?: (route: RouteEntry) => boolean;
  /** The exact status and code, where the body is refused before any route sees it (parsing). */
  status?: number;
  error?: string;
  /** The message must name one of the body's fields. */
  namesField?: boolean;
}

const hasBody = (r: RouteEntry) => r.body !== undefined;
/** A body the route cannot do without (a ticket step's `{ note }` is optional, and so is sending it at all). */
const needsBody = (r: RouteEntry) => r.body !== undefined && (r.body.type === 'array' || ((r.body.required as string[] | undefined)?.length ?? 0) > 0);
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

const MALFORMED: Malformed[] = [
  { name: 'truncated JSON', type: 'application/json', body: () => '{"note": "half a bo', status: 400, error: 'invalid_json' },
  { name: 'a JSON object cut after a comma', type: 'application/json', body: () => '{"a": 1,', status: 400, error: 'invalid_json' },
  { name: 'an empty JSON body', type: 'application/json', body: () => '', status: 400, error: 'empty_body' },
  {
    name: 'invalid UTF-8 inside a JSON string', type: 'application/json', status: 400, error: 'invalid_utf8',
    body: () => Buffer.concat([Buffer.from('{"note": "'), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('"}')]),
  },
  {
    name: 'a UTF-16 body labelled JSON', type: 'application/json', status: 400, error: 'invalid_utf8',
    body: () => Buffer.from('\ufeff{"note": "x"}', 'utf16le'),
  },
  {
    name: 'a gzip-compressed body', type: 'application/json', encoding: 'gzip', status: 415, error: 'unsupported_media_type',
    body: (r) => gzipSync(JSON.stringify(bodyWith(r.body, () => 'x'))),
  },
  { name: 'text/plain', type: 'text/plain', body: () => '{"note": "x"}', status: 415, error: 'unsupported_media_type' },
  { name: 'XML', type: 'application/xml', body: () => '<note>x</note>', status: 415, error: 'unsupported_media_type' },
  {
    name: 'multipart form data', type: 'multipart/form-data; boundary=xj', status: 415, error: 'unsupported_media_type',
    body: () => '--xj\r\nContent-Disposition: form-data; name="note"\r\n\r\nx\r\n--xj--\r\n',
  },
  { name: 'a JSON body over the size limit', type: 'application/json', status: 413, error: 'body_too_large', body: (r) => JSON.stringify(bodyWith(r.body, () => 'x'.repeat(BODY_LIMIT))) },
  {
    name: 'a streamed (chunked) body over the size limit', type: 'application/json', status: 413, error: 'body_too_large',
    body: () => {
      const chunk = new TextEncoder().encode(`"${'y'.repeat(8192)}",`);
      let sent = 0;
      return new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(new TextEncoder().encode('{"note": ['));
          if (sent > BODY_LIMIT * 2) return controller.close();
          controller.enqueue(chunk);
          sent += chunk.length;
        },
      });
    },
  },
  { name: 'prototype poisoning (__proto__)', type: 'application/json', status: 400, error: 'invalid_json', body: () => '{"__proto__": {"role": "admin"}, "note": "x"}' },
  { name: 'JSON null', type: 'application/json', appliesTo: needsBody, body: () => 'null' },
  { name: 'a bare number', type: 'application/json', appliesTo: hasBody, body: () => '42' },
  { name: 'a bare string', type: 'application/json', appliesTo: hasBody, body: () => '"report"' },
  {
    name: 'every field of the wrong type', type: 'application/json', appliesTo: hasBody, namesField: true,
    body: (r) => JSON.stringify(bodyWith(r.body, wrongValueFor)),
  },
  {
    name: 'every field nested 3,000 arrays deep', type: 'application/json', status: 400, error: 'too_deep',
    body: (r) => JSON.stringify(bodyWith(r.body, () => '@DEEP@')).replaceAll('"@DEEP@"', deep(3000)),
  },
  { name: 'a top level nested 30,000 arrays deep', type: 'application/json', status: 400, error: 'too_deep', body: () => deep(30_000) },
  {
    name: 'objects nested 100 deep', type: 'application/json', status: 400, error: 'too_deep',
    body: () => `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`,
  },
  {
    name: 'every string field a long run of emoji and control characters', type: 'application/json', appliesTo: hasBody,
    body: (r) => JSON.stringify(bodyWith(r.body, (s) => (s.type === 'string' ? '😀\u0000\u202e'.repeat(6000) : wrongValueFor(s)))),
  },
];

describe('malformed bodies at every write route', () => {
  let c: TestCollector;
  const tokens = new Map<TokenRole, string>();
  let writes: RouteEntry[] = [];

  beforeAll(async () => {
    c = await startTestCollector({ bodyLimit: BODY_LIMIT });
    tokens.set('agent', c.token('agent', 'acme'));
    tokens.set('engineer', c.token('engineer', 'acme'));
    tokens.set('customer', c.token('customer', 'acme'));
    tokens.set('admin', c.token('admin', null));
    // Something to act on: device db01 with an open ticket (1), a maintenance request (1), the month's record.
    const report = await c.request('POST', '/api/v1/reports', { token: tokens.get('agent'), body: realisticReport({ psuFault: true }) });
    expect(report.status).toBe(201);
    const start = Date.now() + 3 * 86_400_000;
    const maintenance = await c.request('POST', '/api/v1/maintenance', {
      token: tokens.get('engineer'),
      body: {
        site: 'acme', devices: ['db01'], purpose: 'replace PSU 2', engineer: 'Li Wei', recorder: 'Zhao Liu', rollbackPlan: 'restore the configuration backup', customerRepresentative: 'Chen Jingli', removableMedia: 'none', steps: ['swap the PSU'], expectedDurationMinutes: 60,
        windowStart: new Date(start).toISOString(), windowEnd: new Date(start + 3_600_000).toISOString(),
      },
    });
    expect(maintenance.status, await maintenance.clone().text()).toBe(201);
    writes = c.app.routeTable.filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method));
  });
  afterAll(async () => c?.stop());

  const reportsStored = async () => (await c.store.get<{ n: number }>('SELECT count(*) AS n FROM reports'))!.n;

  it('finds the write routes of every part in the route table', () => {
    const urls = writes.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'POST /api/v1/reports', 'PATCH /api/v1/sites/:site/devices/:hostname', 'POST /api/v1/tickets/:id/respond',
      'POST /api/v1/maintenance', 'PUT /api/v1/sites/:site/inspections/:month/notes', 'POST /api/v1/sites/:site/snmp-targets',
      'POST /login',
    ]) expect(urls).toContain(expected);
    expect(writes.length).toBeGreaterThan(30);
  });

  it.each(MALFORMED)('$name: a 4xx with a message at every route, never a 5xx', async (bad) => {
    const before = await reportsStored();
    const failures: string[] = [];
    let tried = 0;
    for (const route of writes) {
      if (bad.appliesTo && !bad.appliesTo(route)) continue;
      tried++;
      const body = bad.body(route);
      const headers: Record<string, string> = { authorization: `Bearer ${tokens.get(roleFor(route))}` };
      if (bad.type) headers['content-type'] = bad.type;
      if (bad.encoding) headers['content-encoding'] = bad.encoding;
      const res = await fetch(`${c.url}${pathWith(route.url)}`, {
        method: route.method, headers, body, redirect: 'manual', ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
      const text = await res.text();
      const where = `${route.method} ${route.url} → ${res.status} ${text.slice(0, 200)}`;
      const isApi = answersJson(route);
      if (res.status >= 500) { failures.push(where); continue; }
      if (!isApi && res.status === 303) {
        // A dashboard form: the error travels in the redirect for the page to show.
        if (!/[?&]error=./.test(res.headers.get('location') ?? '') && bad.status !== undefined) failures.push(`${where} (no error in the redirect)`);
        continue;
      }
      if (res.status < 400) { failures.push(`${where} (accepted)`); continue; }
      let json: { error?: string; message?: string; issues?: { path: string }[] };
      try { json = JSON.parse(text); } catch { failures.push(`${where} (not JSON)`); continue; }
      if (!json.message) failures.push(`${where} (no message)`);
      // A wrong role or site (403/404 from the handler) is judged before some bodies; the rest must be exact.
      if (bad.status !== undefined && res.status !== bad.status && ![401, 403].includes(res.status)) failures.push(`${where} (expected ${bad.status})`);
      if (bad.error && res.status === bad.status && json.error !== bad.error) failures.push(`${where} (expected error ${bad.error})`);
      if (bad.namesField && res.status === 400) {
        const fields = Object.keys(propertiesOf(route.body));
        const named = (json.issues ?? []).some((i) => fields.some((f) => new RegExp(`^/body(/0)?/${f}(/|$)`).test(i.path)));
        if (fields.length && !named) failures.push(`${where} (names none of ${fields.join(', ')})`);
      }
    }
    expect(tried).toBeGreaterThan(0);
    expect(failures).toEqual([]);
    expect(await reportsStored()).toBe(before);
    // And the collector still answers.
    expect((await c.request('GET', '/healthz')).status).toBe(200);
  });
});
