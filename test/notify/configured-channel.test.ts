/**
 * The sender and the configured channels together: a channel made through the API (sealed in the
 * database) is the one the outbox sends through — no directory injected by the test. A P1 fault
 * reaches the signed webhook on the loopback HTTPS stand-in, which verified its signature.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { realisticReport, startTestCollector, until, type TestCollector } from '../helpers/collector.js';
import { startNotifyEndpoints, type NotifyEndpoints } from '../helpers/notify-endpoints.js';

const HOOK_SECRET = 'hook-secret-0123456789';
let ep: NotifyEndpoints;
let c: TestCollector;

beforeAll(async () => {
  ep = await startNotifyEndpoints({ webhooks: { '/hooks/ops': HOOK_SECRET } });
  c = await startTestCollector({ snmp: { credentialKey: randomBytes(32).toString('base64'), pollerEnabled: false, concurrency: 1 }, notify: { pollMs: 50, maxAttempts: 3, concurrency: 4 }, silenceScanSeconds: 0 });
}, 60_000);
afterAll(async () => {
  await c?.stop();
  await ep?.stop();
});

describe('notifications through a configured channel', () => {
  it('a P1 ticket goes out through the webhook channel made with the API', async () => {
    const admin = c.token('admin', null, 'ops-admin');
    const ask = async (method: string, url: string, body: unknown) => {
      const res = await c.request(method, url, { token: admin, body });
      expect(res.status, await res.clone().text()).toBeLessThan(300);
    };
    await ask('POST', '/api/v1/reports', realisticReport({ hostname: 'core01', site: 'hq' }));
    await ask('PATCH', '/api/v1/sites/hq/devices/core01', { role: 'core' });
    await ask('POST', '/api/v1/notify/channels', { name: 'ops-hook', kind: 'webhook', settings: { ca: ep.cert.cert }, secrets: { url: ep.webhookUrl('/hooks/ops'), secret: HOOK_SECRET } });
    await ask('POST', '/api/v1/sites/hq/notify/rules', { event: 'ticket.opened', priorities: ['P1'], channel: 'ops-hook', audience: 'group', lang: 'en' });
    await ask('POST', '/api/v1/reports', realisticReport({ hostname: 'core01', site: 'hq', psuFault: true }));
    const hook = await until('the webhook to receive the P1', () => ep.received.find((r) => r.vendor === 'webhook'), 60_000);
    expect(hook.raw).toMatch(/\[P1\] New ticket #\d+: core01/);
    expect(hook.raw).not.toContain(HOOK_SECRET);
  }, 120_000);
});
