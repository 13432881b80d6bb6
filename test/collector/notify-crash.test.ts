import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freshTestStorage, realisticReport, storeToken, tempDir, until } from '../helpers/collector.js';
import { startSmtpServer, type TestSmtpServer } from '../helpers/smtp-outbox.js';
import { nodeEntry } from '../helpers/node-entry.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FIXTURE = join(ROOT, 'test/collector/fixtures/notify-collector.ts');

interface Child {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

/** The real collector as a child process sending e-mail to `smtp`; resolves once it listens. */
async function spawnNotifyingCollector(location: string, dir: string, smtp: TestSmtpServer): Promise<Child> {
  const child = spawn(process.execPath, nodeEntry(FIXTURE), {
    cwd: ROOT,
    env: { ...process.env, XJ_DB: location, XJ_DATA_DIR: dir, XJ_SMTP_PORT: String(smtp.port), XJ_SMTP_USER: smtp.user, XJ_SMTP_PASS: smtp.password },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise((res) => child.once('exit', res));
  const url = await new Promise<string>((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /collector listening on (\S+)/.exec(stdout);
      if (m) res(m[1]!);
    });
    void exited.then((code) => rej(new Error(`collector exited (${String(code)}) before listening: ${stderr}`)));
  });
  return { child, url, exited };
}

/**
 * kill -9 the collector between the event and the send: the first P1's e-mail was accepted before
 * the kill, the next two were in flight (the SMTP server had their DATA but never answered). After
 * a restart on the same database every message has been accepted exactly once, by its outbox id —
 * the two in flight once their lease (twice the 5 s send timeout) has run out.
 */
describe('notifications across kill -9', () => {
  const dir = tempDir();
  const children: Child[] = [];
  let smtp: TestSmtpServer | undefined;
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await smtp?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends each message once after a SIGKILL between the event and the send', async () => {
    smtp = await startSmtpServer();
    const storage = await freshTestStorage(dir);
    const setup = await storage.open();
    const admin = await storeToken(setup, { name: 'admin', role: 'admin', site: null });
    const engineer = await storeToken(setup, { name: 'bank-engineer', role: 'engineer', site: 'bank' });
    await setup.close();
    const first = await spawnNotifyingCollector(storage.location, dir, smtp);
    children.push(first);
    const call = async (method: string, path: string, body: unknown, token = admin) => {
      const res = await fetch(`${first.url}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    };
    const hosts = ['core1', 'core2', 'core3'];
    for (const h of hosts) await call('POST', '/api/v1/reports', realisticReport({ site: 'bank', hostname: h }), engineer);
    for (const h of hosts) await call('PATCH', `/api/v1/sites/bank/devices/${h}`, { role: 'core' });
    await call('POST', '/api/v1/sites/bank/notify/rules', { event: 'ticket.opened', priorities: ['P1'], channel: 'mail', audience: 'on_duty' });
    // No grouping here: three P1s within a minute would otherwise be two messages (see notify.test.ts, the storm).
    await call('PUT', '/api/v1/sites/bank/notify/settings', { groupWindowSeconds: 0 });
    await call('POST', '/api/v1/sites/bank/notify/rota', { person: '值班工程师', email: 'duty@example.test', role: 'on_duty' });

    const fault = (h: string) => realisticReport({ site: 'bank', hostname: h, psuFault: true, at: new Date('2026-11-28T10:05:00Z') });
    await call('POST', '/api/v1/reports', fault('core1'), engineer);
    await smtp.waitFor(1);
    // The relay stops answering: the next two sends are in flight when the collector dies.
    smtp.hold = true;
    await call('POST', '/api/v1/reports', fault('core2'), engineer);
    await call('POST', '/api/v1/reports', fault('core3'), engineer);
    await until('two sends in flight', () => (smtp!.held >= 2 ? true : undefined));
    first.child.kill('SIGKILL');
    await first.exited;

    const db = await storage.open();
    try {
      const states = await db.all('SELECT state, count(*) AS n FROM notify_outbox GROUP BY state ORDER BY state');
      expect(states).toEqual([{ state: 'sending', n: 2 }, { state: 'sent', n: 1 }]);
    } finally {
      await db.close();
    }

    smtp.hold = false;
    const second = await spawnNotifyingCollector(storage.location, dir, smtp);
    children.push(second);
    await smtp.waitFor(3);
    const check = await storage.open();
    try {
      await until('every message sent', async () => ((await check.get<{ n: number }>(`SELECT count(*) AS n FROM notify_outbox WHERE state <> 'sent'`))!.n === 0 ? true : undefined));
      const ids = (await check.all<{ id: number }>('SELECT id FROM notify_outbox ORDER BY id')).map((r) => r.id);
      expect(ids).toHaveLength(3);
      // Each outbox id accepted exactly once (Message-ID carries it).
      const accepted = smtp.received.map((m) => m.parsed.messageId).sort();
      expect(accepted).toEqual(ids.map((id) => `<xunjian-notify-${id}@example.test>`).sort());
      expect(new Set(smtp.received.map((m) => m.parsed.subject)).size).toBe(3);
    } finally {
      await check.close();
    }
  }, 120_000);
});
