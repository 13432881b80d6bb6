import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STRIPPED_FLAG } from '../../collector/identity/index.js';
import { realisticReport, startTestCollector, type TestCollector } from '../helpers/collector.js';

/*
 * Names and text through a real collector (issue 10, second finding): every hostile name below was
 * stored (201) and shown in the matrix, tickets and reports before; a NUL reached page HTML raw.
 */
let c: TestCollector;
let engineer: string;
let admin: string;

beforeAll(async () => {
  c = await startTestCollector();
  engineer = c.token('engineer', 'acme', 'laptop');
  admin = c.token('admin', null, 'root');
});
afterAll(async () => c?.stop());

async function call<T = any>(method: string, url: string, body?: unknown, token = engineer) {
  const res = await c.request(method, url, { token, body });
  return { status: res.status, body: (await res.json()) as T };
}

describe('names that are keys or URL segments', () => {
  it.each([
    ['a path escape', '../../../etc/passwd'],
    ['slashes, a query and a fragment', 'sw/with/slash?x=1#frag'],
    ['a spreadsheet formula', '=HYPERLINK("http://evil","click")'],
    ['a NUL', 'db\u000001'],
    ['a right-to-left override', 'db\u202e10'],
    ['a zero-width space', 'db\u200b01'],
    ['a backslash', 'db\\01'],
    ['dot-dot', '..'],
    ['a leading space', ' db01'],
  ])('refuses %s as a hostname with a 400 naming the field and the rule', async (_what, hostname) => {
    const res = await call('POST', '/api/v1/reports', realisticReport({ hostname, site: 'acme' }));
    expect(res.status).toBe(400);
    expect(res.body.issues).toContainEqual({ path: '/body/identity/hostname', message: expect.stringContaining('without / \\ ? #') });
    expect(res.body.message).toContain('/body/identity/hostname');
  });

  it('refuses the same in a site name, in the body and in the URL', async () => {
    const body = await call('POST', '/api/v1/reports', realisticReport({ site: 'bank\u202ea' }));
    expect(body.status).toBe(400);
    expect(body.body.issues[0].path).toBe('/body/site');
    const url = await call('GET', `/api/v1/sites/${encodeURIComponent('a\u0000b')}/devices`);
    expect(url.status).toBe(400);
    expect(url.body.issues[0]).toMatchObject({ path: '/params/site', message: expect.stringContaining('control, bidi or invisible') });
  });

  it('keeps real-world names working: dots, dashes, underscores, Chinese, emoji-free Unicode; component names with slashes', async () => {
    for (const [site, hostname] of [['acme', 'core-sw1.bank.local'], ['acme', 'db_01'], ['华东数据中心', '核心交换机-1'], ['acme', 'SRV 01']] as const) {
      const r = realisticReport({ hostname, site });
      r.measurements.push({ check: 'SXKR-003', component: 'Gi1/0/48', metric: 'module.state', value: 'up', status: 'ok', command: 'IF-MIB::ifOperStatus.48', at: r.window.end });
      const res = await call('POST', '/api/v1/reports', r, admin);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      const read = await call('GET', `/api/v1/sites/${encodeURIComponent(site)}/devices/${encodeURIComponent(hostname)}`, undefined, admin);
      expect(read.body.hostname).toBe(hostname);
    }
  });
});

describe('free text', () => {
  it('refuses control and bidi characters that a person or client sent, with a 400 naming the field', async () => {
    expect((await call('POST', '/api/v1/reports', realisticReport({ hostname: 'db01', site: 'acme' }))).status).toBe(201);
    const notes = await call('PATCH', '/api/v1/sites/acme/devices/db01', { notes: 'rack 3\u202e' });
    expect(notes.status).toBe(400);
    expect(notes.body.issues).toEqual([{ path: '/body/notes', message: expect.stringContaining('tabs and line breaks') }]);
    const ticket = await call('POST', '/api/v1/tickets', { site: 'acme', device: 'db01', symptom: 'fan noise\u0000' });
    expect(ticket.status).toBe(400);
    expect(ticket.body.issues[0].path).toBe('/body/symptom');
    // Line breaks and tabs are text, and Chinese is printable.
    const ok = await call('PATCH', '/api/v1/sites/acme/devices/db01', { notes: '机柜 3\n\t第二行' });
    expect(ok.status).toBe(200);
    expect(ok.body.notes).toBe('机柜 3\n\t第二行');
  });

  it("strips and flags the device's own output carrying them: the record shows that it was altered", async () => {
    const r = realisticReport({ hostname: 'db02', site: 'acme' });
    r.measurements.push({
      check: 'SXKR-006', component: 'kernel\u001b[31m', metric: 'log.entry', value: 'disk \u202efailed\u0000 sda', severity: 'error', command: 'journalctl -p err', at: r.window.end,
    });
    r.gaps = [{ check: 'SXKR-003', component: 'raid', reason: 'megacli: \u0007permission denied' }];
    const res = await call('POST', '/api/v1/reports', r);
    expect(res.status).toBe(201);
    const m = (await call<{ measurements: { component: string; value: unknown; detail?: string }[] }>('GET', `/api/v1/reports/${r.id}/measurements`)).body.measurements;
    const entry = m.find((x) => x.component.startsWith('kernel'))!;
    expect(entry).toMatchObject({ component: 'kernel[31m', value: 'disk failed sda' });
    expect(entry.detail).toContain(STRIPPED_FLAG);
    const results = (await call<{ results: { check: string; result: { reason: string | null } }[] }>('GET', `/api/v1/reports/${r.id}`)).body.results;
    expect(JSON.stringify(results)).not.toMatch(/[\u0000\u0007\u001b\u202e]/);
    const metrics = await (await c.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/^xunjian_device_text_stripped_total 3$/m);
  });
});
