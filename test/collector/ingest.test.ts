import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/**
 * POST /api/v1/reports through a real listening collector on a real SQLite file: every bad
 * input gets its 4xx with a message naming the problem, and nothing is stored twice.
 */
describe('report ingest', () => {
  let c: TestCollector;
  let agent: string;
  let engineer: string;
  let customer: string;
  let otherAgent: string;
  let admin: string;

  beforeAll(async () => {
    c = await startTestCollector({ bodyLimit: 256 * 1024 });
    agent = c.token('agent', 'acme');
    engineer = c.token('engineer', 'acme');
    customer = c.token('customer', 'acme');
    otherAgent = c.token('agent', 'globex');
    admin = c.token('admin', null);
  });
  afterAll(async () => c?.stop());

  /** token null: send none. */
  const post = (body: unknown, token: string | null = agent, headers: Record<string, string> = {}) =>
    c.request('POST', '/api/v1/reports', { ...(token ? { token } : {}), body, headers });

  const count = async (table: string): Promise<number> => (await c.store.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n;

  it('stores and evaluates a report in one go, answering 201 with the six verdicts', async () => {
    const report = realisticReport({ id: 'rpt-first-0001', psuFault: true });
    const res = await post(report);
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body).toEqual({
      stored: true,
      id: 'rpt-first-0001',
      device: { site: 'acme', hostname: 'db01' },
      verdicts: { 'SXKR-001': 'normal', 'SXKR-002': 'normal', 'SXKR-003': 'normal', 'SXKR-004': 'abnormal', 'SXKR-005': 'normal', 'SXKR-006': 'normal' },
    });
    const back = await c.request('GET', '/api/v1/reports/rpt-first-0001/measurements', { token: engineer });
    expect(back.status).toBe(200);
    expect((await back.json()).measurements).toEqual(report.measurements);
  });

  it('acknowledges a resent report id with 200 { duplicate: true } and stores nothing twice', async () => {
    const report = realisticReport({ id: 'rpt-resend-0001' });
    expect((await post(report)).status).toBe(201);
    const before = { reports: await count('reports'), measurements: await count('measurements'), results: await count('results') };
    const again = await post(report);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ duplicate: true, id: 'rpt-resend-0001' });
    // Same id with different content is still the same report: nothing replaced.
    const changed = await post({ ...report, measurements: report.measurements.slice(0, 3) });
    expect(changed.status).toBe(200);
    expect({ reports: await count('reports'), measurements: await count('measurements'), results: await count('results') }).toEqual(before);
  });

  it("refuses another site's token before telling whether an id exists", async () => {
    const res = await post({ ...realisticReport({ id: 'rpt-resend-0001' }), site: 'acme' }, otherAgent);
    expect(res.status).toBe(403);
  });

  it('registers the site and the device with its identity from the report', async () => {
    const res = await c.request('GET', '/api/v1/sites/acme/devices/db01', { token: engineer });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      site: 'acme', hostname: 'db01', kind: 'server', vendor: 'HPE', model: 'ProLiant DL380 Gen10', serial: 'CZDB0101',
      os: 'Rocky Linux 9.4', version: '5.14.0-427', addresses: ['10.1.2.3'], lastSource: 'agent',
    });
  });

  it('fills schema defaults (gaps omitted) instead of refusing', async () => {
    const { gaps: _gaps, ...report } = realisticReport({ id: 'rpt-nogaps-0001' });
    expect((await post(report)).status).toBe(201);
  });

  describe('bad input: 4xx naming the problem, never a 5xx, nothing stored', () => {
    const cases: { name: string; status: number; error: string; message: RegExp; send: () => Promise<Response> }[] = [
      {
        name: 'a measurement value of the wrong type',
        status: 400, error: 'validation', message: /\/body\/measurements\/3\/value/,
        send: () => { const r = realisticReport(); (r.measurements[3] as { value: unknown }).value = { nested: true }; return post(r); },
      },
      {
        name: 'a missing hostname',
        status: 400, error: 'validation', message: /\/body\/identity\/hostname/,
        send: () => { const r = realisticReport(); delete (r.identity as Partial<typeof r.identity>).hostname; return post(r); },
      },
      {
        name: 'an unknown check id',
        status: 400, error: 'validation', message: /\/body\/measurements\/0\/check/,
        send: () => { const r = realisticReport(); (r.measurements[0] as { check: string }).check = 'SXKR-999'; return post(r); },
      },
      {
        name: 'a malformed timestamp',
        status: 400, error: 'validation', message: /\/body\/window\/end/,
        send: () => { const r = realisticReport(); r.window.end = 'yesterday'; return post(r); },
      },
      {
        name: 'an unexpected field',
        status: 400, error: 'validation', message: /\/body\/colour/,
        send: () => post({ ...realisticReport(), colour: 'red' }),
      },
      {
        name: 'a bad report id',
        status: 400, error: 'validation', message: /\/body\/id/,
        send: () => post({ ...realisticReport(), id: 'has spaces in it' }),
      },
      { name: 'a JSON array', status: 400, error: 'validation', message: /body/, send: () => post([1, 2]) },
      { name: 'invalid JSON', status: 400, error: 'invalid_json', message: /JSON/, send: () => post('{"id": ') },
      {
        name: 'an empty JSON body', status: 400, error: 'empty_body', message: /empty/i,
        send: () => c.request('POST', '/api/v1/reports', { token: agent, headers: { 'content-type': 'application/json' } }),
      },
      { name: 'no token', status: 401, error: 'unauthorized', message: /bearer token/, send: () => post(realisticReport(), null) },
      { name: 'an unknown token', status: 401, error: 'unauthorized', message: /unknown or revoked/, send: () => post(realisticReport(), 'xj_not-a-real-token') },
      {
        name: 'a non-Bearer authorization', status: 401, error: 'unauthorized', message: /Bearer/,
        send: () => c.request('POST', '/api/v1/reports', { body: realisticReport(), headers: { authorization: 'Basic dXNlcjpwYXNz' } }),
      },
      {
        name: 'no token and invalid JSON (authentication comes first)', status: 401, error: 'unauthorized', message: /bearer token/,
        send: () => post('{nope', null),
      },
      {
        name: "another site's agent token", status: 403, error: 'forbidden', message: /for site globex, not acme/,
        send: () => post(realisticReport({ site: 'acme' }), otherAgent),
      },
      { name: 'a customer token (may not write reports)', status: 403, error: 'forbidden', message: /role customer/, send: () => post(realisticReport(), customer) },
      { name: 'a global admin token without a site', status: 400, error: 'site_required', message: /site is required/, send: () => post(realisticReport(), admin) },
      {
        name: 'a body over the limit', status: 413, error: 'body_too_large', message: /too large/,
        send: () => { const r = realisticReport(); r.measurements = Array.from({ length: 2000 }, () => r.measurements[0]!); return post(r); },
      },
      {
        name: 'text/plain', status: 415, error: 'unsupported_media_type', message: /Unsupported Media Type/,
        send: () => post(JSON.stringify(realisticReport()), agent, { 'content-type': 'text/plain' }),
      },
      {
        name: 'a gzip-compressed body', status: 415, error: 'unsupported_media_type', message: /content-encoding gzip is not supported/,
        send: () => c.request('POST', '/api/v1/reports', { token: agent, body: realisticReport(), headers: { 'content-encoding': 'gzip' } }),
      },
      {
        name: 'no token and a gzip body (authentication comes first)', status: 401, error: 'unauthorized', message: /bearer token/,
        send: () => c.request('POST', '/api/v1/reports', { body: realisticReport(), headers: { 'content-encoding': 'gzip' } }),
      },
      {
        name: 'a form post', status: 415, error: 'unsupported_media_type', message: /Unsupported Media Type/,
        send: () => post('id=1', agent, { 'content-type': 'application/x-www-form-urlencoded' }),
      },
    ];

    it.each(cases)('$name → $status $error', async ({ status, error, message, send }) => {
      const before = await count('reports');
      const res = await send();
      expect(res.status).toBe(status);
      const body = await res.json();
      expect(body.error).toBe(error);
      expect(body.message).toMatch(message);
      expect(await count('reports')).toBe(before);
    });

    it('lists every offending field in `issues`', async () => {
      const r = realisticReport();
      (r.measurements[1] as { at: string }).at = 'not a time';
      (r.measurements[5] as { command: string }).command = '';
      const body = await (await post(r)).json();
      const paths = (body.issues as { path: string }[]).map((i) => i.path);
      expect(paths).toContain('/body/measurements/1/at');
      expect(paths).toContain('/body/measurements/5/command');
    });

    it('counts rejected reports by reason in /metrics', async () => {
      const text = await (await c.request('GET', '/metrics')).text();
      expect(text).toMatch(/xunjian_reports_rejected_total\{reason="validation"\} [1-9]/);
      expect(text).toMatch(/xunjian_reports_rejected_total\{reason="unauthorized"\} [1-9]/);
      expect(text).toMatch(/xunjian_reports_rejected_total\{reason="body_too_large"\} 1/);
    });
  });

  it('accepts an engineer upload and an admin upload naming the site', async () => {
    expect((await post(realisticReport({ hostname: 'web01' }), engineer)).status).toBe(201);
    expect((await post(realisticReport({ hostname: 'sw01', site: 'globex' }), admin)).status).toBe(201);
    const globex = await c.request('GET', '/api/v1/sites/globex/devices', { token: admin });
    expect((await globex.json()).devices.map((d: { hostname: string }) => d.hostname)).toEqual(['sw01']);
  });

  it('a revoked token is refused from then on', async () => {
    const token = c.token('agent', 'acme', 'soon-revoked');
    expect((await post(realisticReport({ hostname: 'db-revoked' }), token)).status).toBe(201);
    const row = (await c.app.repos.tokens.list()).find((t) => t.name === 'soon-revoked')!;
    await c.app.repos.tokens.revoke(row.id);
    const res = await post(realisticReport({ hostname: 'db-revoked' }), token);
    expect(res.status).toBe(401);
  });

  it('records the heartbeat of an agent: last_seen moves without a report', async () => {
    const db02 = c.agentFor('acme', 'db02');
    const res = await c.request('POST', '/api/v1/heartbeat', { token: db02, body: { agentId: 'agent-db02', hostname: 'db02' } });
    expect(res.status).toBe(200);
    const device = await (await c.request('GET', '/api/v1/sites/acme/devices/db02', { token: engineer })).json();
    expect(device.agentId).toBe('agent-db02');
    expect(device.lastHeartbeatAt).not.toBeNull();
    expect(device.lastReportAt).toBeNull();
    const bad = await c.request('POST', '/api/v1/heartbeat', { token: db02, body: { hostname: 'db02' } });
    expect(bad.status).toBe(400);
    expect((await bad.json()).message).toMatch(/\/body\/agentId/);
    const wrongSite = await c.request('POST', '/api/v1/heartbeat', { token: otherAgent, body: { agentId: 'a', hostname: 'x', site: 'acme' } });
    expect(wrongSite.status).toBe(403);
  });
});
