import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport, startTestCollector, until, type TestCollector } from '../helpers/collector.js';
import { directoryOf, emailChannel, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-outbox.js';

/**
 * Notifications end to end: a real collector on a real SQLite file, reports through the API, the
 * outbox and sender on the app's clock, e-mail to a real SMTP server on loopback parsed back.
 */
describe('notifications', () => {
  let smtp: TestSmtpServer;
  let c: TestCollector;
  let admin: string;
  let now = new Date('2026-11-28T10:01:00.000Z');
  const advance = (ms: number) => (now = new Date(now.getTime() + ms));
  const mailTo = (address: string) => smtp.received.filter((m) => m.parsed.to && JSON.stringify(m.parsed.to).includes(address));
  /** At least `n` messages to `address` (a round does not wait for a slow relay: presence is awaited). */
  const mailsTo = (address: string, n: number) => until(`${n} messages to ${address}`, () => (mailTo(address).length >= n ? mailTo(address) : undefined));

  beforeAll(async () => {
    smtp = await startSmtpServer();
    c = await startTestCollector({ notify: { pollMs: 50, maxAttempts: 3, concurrency: 16 }, silenceScanSeconds: 0 }, { now: () => now, notifyChannels: directoryOf(emailChannel('mail', smtp)) });
    admin = c.token('admin', null, 'admin');
  });
  afterAll(async () => {
    await c?.stop();
    await smtp?.close();
  });

  const post = async (path: string, body: unknown, token = admin, method = 'POST') => {
    const res = await c.request(method, path, { token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.status === 204 ? undefined : ((await res.json()) as Record<string, unknown>);
  };
  /** A site with one device reported normal, its customer name, routing everything to the on-duty engineer by e-mail. */
  const siteWith = async (site: string, hosts: string[], core = true, rule = true) => {
    for (const h of hosts) await post('/api/v1/reports', realisticReport({ hostname: h, site, at: now }), c.agentFor(site, h));
    await post(`/api/v1/sites/${site}`, { title: `客户 ${site}` }, admin, 'PATCH');
    if (core) for (const h of hosts) await post(`/api/v1/sites/${site}/devices/${h}`, { role: 'core' }, admin, 'PATCH');
    if (rule) await post(`/api/v1/sites/${site}/notify/rules`, { event: '*', priorities: '*', channel: 'mail', audience: 'on_duty' });
  };
  const rounds = async (n: number) => {
    for (let i = 0; i < n; i++) await c.app.notify.nextRun();
  };

  it('an ingest that opens a P1 sends exactly one e-mail to the engineer on duty: subject, language, link, no secrets', async () => {
    await siteWith('acme', ['db01']);
    await post('/api/v1/sites/acme/notify/rota', { person: '张工', email: 'zhang@example.test', lang: 'zh', role: 'on_duty' });
    const agent = c.agentFor('acme', 'db01');
    const answer = await post('/api/v1/reports', realisticReport({ hostname: 'db01', site: 'acme', psuFault: true, at: now }), agent);
    expect(answer!.verdicts).toBeDefined();
    const [mail] = await smtp.waitFor(1);
    await rounds(3);
    expect(mailTo('zhang@example.test')).toHaveLength(1);
    const tickets = (await (await c.request('GET', '/api/v1/tickets?site=acme', { token: admin })).json()) as { id: number; priority: string }[];
    expect(tickets.map((t) => t.priority)).toEqual(['P1']);
    const p = mail!.parsed;
    expect(p.subject).toBe(`[P1] 新故障单 #${tickets[0]!.id}：db01 设备电源及风扇检查`);
    expect(p.headers.get('content-language')).toBe('zh-CN');
    expect(p.text).toContain('客户: 客户 acme');
    expect(p.text).toContain('优先级: P1');
    expect(p.text).toMatch(/时限: 2026-11-28 (19|20):01 \+08:00/);
    expect(p.text).toContain(`${c.url}/sites/acme/tickets/${tickets[0]!.id}`);
    for (const secret of [smtp.password, agent, admin]) expect(mail!.raw).not.toContain(secret);
    expect(p.messageId).toMatch(/^<xunjian-notify-\d+@example\.test>$/);
    const metrics = await (await c.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/xunjian_notify_sent_total\{channel="email"\} 1\n/);
    expect(metrics).toMatch(/xunjian_notify_delivery_seconds_count 1\n/);
  });

  it('escalates a ticket nobody responded to along the chain by the app clock, and stops once someone responds', async () => {
    await post('/api/v1/sites/acme/notify/rota', { person: 'Bob', email: 'bob@example.test', lang: 'en', role: 'backup' });
    await post('/api/v1/sites/acme/notify/rota', { person: '王经理', email: 'wang@example.test', lang: 'zh', role: 'manager' });
    await post('/api/v1/sites/acme/notify/escalation', { steps: [{ afterMinutes: 10, audience: 'backup', channel: 'mail' }, { afterMinutes: 25, audience: 'manager', channel: 'mail' }] }, admin, 'PUT');
    const [ticket] = (await (await c.request('GET', '/api/v1/tickets?site=acme', { token: admin })).json()) as { id: number }[];
    advance(5 * 60_000);
    await rounds(2);
    expect(mailTo('bob@example.test')).toHaveLength(0);
    advance(6 * 60_000); // 11 min after opening: step 1
    const bob = await mailsTo('bob@example.test', 1);
    await rounds(2);
    expect(bob).toHaveLength(1);
    expect(bob[0]!.parsed.subject).toBe(`[P1] Ticket #${ticket!.id} not responded to: escalated (step 1)`);
    expect(bob[0]!.parsed.headers.get('content-language')).toBe('en');
    expect(mailTo('wang@example.test')).toHaveLength(0);
    await post(`/api/v1/tickets/${ticket!.id}/respond`, { note: 'on the phone' });
    advance(20 * 60_000); // 31 min: step 2 would be due, but the ticket was responded to
    await rounds(2);
    expect(mailTo('wang@example.test')).toHaveLength(0);
    expect(mailTo('bob@example.test')).toHaveLength(1);
  });

  it('quiet hours hold a P3 until they end but never a P1', async () => {
    now = new Date('2026-11-28T15:00:00.000Z'); // 23:00 in the site's zone (Asia/Shanghai)
    await siteWith('night', ['web01'], false, false);
    await siteWith('night', ['core01']);
    await post('/api/v1/sites/night/notify/rota', { person: 'Li', email: 'li@example.test', lang: 'en', role: 'on_duty' });
    await post('/api/v1/sites/night/notify/settings', { quietHours: { start: '22:00', end: '07:00' } }, admin, 'PUT');
    await post('/api/v1/reports', realisticReport({ hostname: 'web01', site: 'night', cpuAvg: 97, at: now }), c.agentFor('night', 'web01'));
    await post('/api/v1/reports', realisticReport({ hostname: 'core01', site: 'night', psuFault: true, at: now }), c.agentFor('night', 'core01'));
    await mailsTo('li@example.test', 1);
    await rounds(3);
    const night = mailTo('li@example.test');
    expect(night.map((m) => m.parsed.subject)).toEqual([expect.stringMatching(/^\[P1\] New ticket #\d+: core01/)]);
    const held = (await (await c.request('GET', '/api/v1/sites/night/notify/outbox?state=pending', { token: admin })).json()) as { priority: string; nextAt: string }[];
    expect(held.map((h) => [h.priority, h.nextAt])).toEqual([['P3', '2026-11-28T23:00:00.000Z']]); // 07:00 there
    now = new Date('2026-11-28T23:00:30.000Z');
    await until('the held P3 sent', () => (mailTo('li@example.test').some((m) => m.parsed.subject!.includes('web01')) ? true : undefined));
    // Eight hours later the P1's deadlines went by too (those messages are not counted here).
    const after = mailTo('li@example.test').map((m) => m.parsed.subject!).filter((s) => s.includes('New ticket'));
    expect(after).toHaveLength(2);
    expect(after[1]).toMatch(/^\[P3\] New ticket #\d+: web01 CPU/);
  });

  it('a storm of 1,000 abnormal results in one minute sends a bounded number of messages that still count every event', async () => {
    now = new Date('2026-11-30T12:00:00.000Z');
    const site = 'storm';
    const hosts = Array.from({ length: 500 }, (_, i) => `sw${String(i).padStart(3, '0')}`);
    const engineer = c.token('engineer', site, 'storm-engineer');
    await post('/api/v1/reports', realisticReport({ hostname: hosts[0]!, site, at: now }), engineer);
    await post(`/api/v1/sites/${site}/notify/rules`, { event: '*', priorities: '*', channel: 'mail', audience: 'on_duty' });
    await post(`/api/v1/sites/${site}/notify/rota`, { person: 'Storm', email: 'storm@example.test', lang: 'en', role: 'on_duty' });
    // 500 devices × (PSU failed + CPU high) = 1,000 abnormal results, within one minute of the app's clock.
    for (const [i, h] of hosts.entries()) {
      now = new Date(Date.parse('2026-11-30T12:00:00.000Z') + i * 100);
      const res = await c.request('POST', '/api/v1/reports', { token: engineer, body: realisticReport({ hostname: h, site, psuFault: true, cpuAvg: 97, at: now }) });
      expect(res.status).toBe(201);
    }
    await rounds(3);
    now = new Date('2026-11-30T12:02:00.000Z');
    // The storm's tickets only: the month-end scan may add a notice of its own (30 November, evening
    // in the site's zone), grouped for a window the frozen clock never reaches.
    await until('the storm digests sent', async () => ((await c.store.get<{ n: number }>(`SELECT count(*) AS n FROM notify_outbox WHERE site = 'storm' AND kind = 'ticket.opened' AND state <> 'sent'`))!.n === 0 ? true : undefined), 180_000); // a ceiling: 1,000 ingests on a loaded machine
    await rounds(2);
    const sent = mailTo('storm@example.test').filter((m) => !/not signed/.test(m.parsed.subject ?? '')).length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(6);
    const outbox = ((await (await c.request('GET', `/api/v1/sites/${site}/notify/outbox?limit=500`, { token: admin })).json()) as { kind: string; events: number; state: string; title: string }[])
      .filter((o) => o.kind === 'ticket.opened');
    expect(outbox.every((o) => o.state === 'sent')).toBe(true);
    expect(outbox.reduce((n, o) => n + o.events, 0)).toBe(1000);
    expect(outbox.some((o) => /^\d+ notices: /.test(o.title))).toBe(true);
  }, 240_000);

  it('a message that cannot be delivered is a dead letter in the outbox, counted, and can be sent again', async () => {
    now = new Date('2026-11-30T12:03:00.000Z');
    await siteWith('dead', ['db09']);
    await post('/api/v1/sites/dead/notify/rules', { event: 'ticket.opened', priorities: ['P1'], channel: 'nowhere', audience: 'group', lang: 'en' });
    await post('/api/v1/sites/dead/notify/rota', { person: 'NoMail', lang: 'en', role: 'on_duty' });
    await post('/api/v1/reports', realisticReport({ hostname: 'db09', site: 'dead', psuFault: true, at: now }), c.agentFor('dead', 'db09'));
    const dead = await until('two dead letters', async () => {
      // The month-end scan may add its own (30 November, evening in the site's zone): only the ticket's count here.
      const rows = ((await (await c.request('GET', '/api/v1/sites/dead/notify/outbox?state=dead', { token: admin })).json()) as { id: number; kind: string; lastError: string }[]).filter((r) => r.kind === 'ticket.opened');
      return rows.length >= 2 ? rows : undefined;
    });
    expect(dead.map((d) => d.lastError).sort()).toEqual(['NoMail has no e-mail address on the rota', 'no channel named nowhere']);
    const metrics = await (await c.request('GET', '/metrics')).text();
    expect(Number(/xunjian_notify_outbox\{state="dead"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/xunjian_notify_dead_total\{channel="unknown"\} 1\n/);
    const retry = await c.request('POST', `/api/v1/sites/dead/notify/outbox/${dead[0]!.id}/retry`, { token: admin });
    expect(retry.status).toBe(202);
    expect((await c.request('POST', '/api/v1/sites/dead/notify/outbox/999999/retry', { token: admin })).status).toBe(404);
  });

  it('refuses bad settings with a 400 naming the problem, and customers with a 403', async () => {
    const bad = await c.request('POST', '/api/v1/sites/acme/notify/rules', { token: admin, body: { event: 'ticket.exploded', priorities: '*', channel: 'mail', audience: 'on_duty' } });
    expect(bad.status).toBe(400);
    const late = await c.request('PUT', '/api/v1/sites/acme/notify/escalation', { token: admin, body: { steps: [{ afterMinutes: 30, audience: 'backup', channel: 'mail' }, { afterMinutes: 10, audience: 'manager', channel: 'mail' }] } });
    expect(late.status).toBe(400);
    expect(((await late.json()) as { message: string }).message).toContain('step 2 must come later');
    const holiday = await c.request('POST', '/api/v1/sites/acme/notify/rota', { token: admin, body: { person: 'X', role: 'on_duty', special: '国庆节假日值守' } });
    expect(holiday.status).toBe(400);
    const customer = c.token('customer', 'acme', 'acme-customer');
    expect((await c.request('GET', '/api/v1/sites/acme/notify', { token: customer })).status).toBe(403);
  });
});
