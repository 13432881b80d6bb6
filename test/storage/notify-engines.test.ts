/**
 * The notification outbox on both engines, each time with TWO stores on one database (two
 * collectors): the planner writing a message to the person the rota names; the sender's batch
 * claim (most urgent first, each row once, leased, put back uncounted when the pace says wait, taken
 * back only once its lease ran out); two senders draining one outbox into a real SMTP server
 * (smtp-server on loopback) with every message accepted once under its outbox id; and a failing
 * relay's retries — attempts, backoff from the app's clock, the dead letter — on SQLite and on a
 * real PostgreSQL (the schema openStore migrates, its triggers included).
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChannel } from '../../collector/notify/channels/index.js';
import type { Channel } from '../../collector/notify/channels/types.js';
import { backoffMs } from '../../collector/notify/pacing.js';
import { NotifyPlanner } from '../../collector/notify/planner.js';
import { NotifyRepository, type NewDelivery } from '../../collector/notify/repository.js';
import { NotifySender, type SenderOptions } from '../../collector/notify/sender.js';
import { createRepositories } from '../../collector/repositories/index.js';
import { openStore } from '../../collector/storage/open-store.js';
import type { Store } from '../../collector/storage/store.js';
import { tempDir } from '../helpers/collector.js';
import { postgresMissing, startPostgres, type TestPostgres } from '../helpers/postgres.js';
import { directoryOf, startSmtpServer, type TestSmtpServer } from '../helpers/smtp-outbox.js';

const T0 = Date.parse('2026-11-28T02:00:00Z');
const LEASE_MS = 60_000;
const NO_EVENTS = { sent: () => {}, failed: () => {} };

/** A port nothing listens on (bound, then let go): a relay that refuses the connection. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The product's e-mail channel (pooled SMTP) to `port`. */
const mailChannel = (name: string, port: number, smtp?: Pick<TestSmtpServer, 'user' | 'password'>): Channel =>
  buildChannel({ name, kind: 'email', settings: { host: '127.0.0.1', port, security: 'none', ...(smtp ? { user: smtp.user } : {}), from: 'xunjian@example.test' }, secrets: smtp ? { password: smtp.password } : {} });

function suite(name: string, openTwo: () => Promise<[Store, Store]>, skip: boolean) {
  describe.skipIf(skip)(`notification outbox on ${name}`, () => {
    let a: Store;
    let b: Store;
    let repoA: NotifyRepository;
    let repoB: NotifyRepository;
    let eventId: number;
    const delivery = (over: Partial<NewDelivery> = {}): NewDelivery => ({
      eventId,
      site: 'bank',
      kind: 'inspection.unsigned',
      channel: 'mail',
      recipient: 'wang',
      address: 'wang@bank.example',
      lang: 'zh',
      priority: null,
      groupKey: 'bank|inspection.unsigned|-|',
      message: { title: '巡检记录未签字', lines: ['2026-11'], link: 'https://xunjian.example/sites/bank' },
      createdAt: T0,
      nextAt: T0,
      ...over,
    });
    const rows = async () => a.all<{ id: number; state: string; attempts: number; next_at: number; lease_until: number | null; last_error: string | null }>('SELECT id, state, attempts, next_at, lease_until, last_error FROM notify_outbox ORDER BY id');
    const sender = (repo: NotifyRepository, channel: Channel, clock: () => Date, options: Partial<SenderOptions> = {}) =>
      new NotifySender(repo, directoryOf(channel), clock, { concurrency: 8, maxAttempts: 8, sendTimeoutMs: LEASE_MS / 2, roundWaitMs: 30_000, ...options }, NO_EVENTS);

    beforeAll(async () => {
      [a, b] = await openTwo();
      repoA = new NotifyRepository(a);
      repoB = new NotifyRepository(b);
      await createRepositories(a).sites.ensure('bank', T0);
      await repoA.setSettings('bank', { groupWindowSeconds: 0 }, 'li', T0);
      eventId = (await a.get<{ id: number }>(`INSERT INTO notify_events (kind, site, detail, at, planned_at) VALUES ('inspection.unsigned', 'bank', '{}', ?, ?) RETURNING id`, [T0, T0]))!.id;
    }, 120_000);
    afterAll(async () => {
      await b?.close();
      await a?.close();
    });

    it('plans each event to the person the rota names at its time — a holiday period over a dated one over the standing one — with their address and language', async () => {
      const day = 24 * 3_600_000;
      await repoA.addRule('bank', { event: 'inspection.unsigned', priorities: '*', channel: 'mail', audience: 'on_duty' }, 'li', T0);
      await repoA.addRota('bank', { person: 'wang', email: 'wang@bank.example', role: 'on_duty' }, 'li', T0);
      await repoA.addRota('bank', { person: 'Smith', email: 'smith@bank.example', lang: 'en', role: 'on_duty', from: new Date(T0 + day).toISOString(), until: new Date(T0 + 3 * day).toISOString() }, 'li', T0);
      await repoA.addRota('bank', { person: 'zhao', email: 'zhao@bank.example', role: 'on_duty', from: new Date(T0 + 2 * day).toISOString(), until: new Date(T0 + 2 * day + 3_600_000).toISOString(), special: '节假日值守' }, 'li', T0);
      expect((await repoB.rota('bank')).map((r) => [r.person, r.special])).toEqual([['wang', null], ['Smith', null], ['zhao', '节假日值守']]);
      for (const [i, at] of [T0 + 60_000, T0 + day + 60_000, T0 + 2 * day + 60_000].entries()) {
        expect(await repoA.raiseOnce(`month-end:${i}`, { kind: 'inspection.unsigned', site: 'bank', detail: { month: '2026-11' }, at })).toBe(true);
      }
      expect(await repoB.raiseOnce('month-end:0', { kind: 'inspection.unsigned', site: 'bank', at: T0 })).toBe(false);
      const channel = mailChannel('mail', 25);
      const mail = directoryOf(channel);
      const now = new Date(T0 + 3 * day);
      const plan = (store: Store) => new NotifyPlanner(store, createRepositories(store), mail).plan(now, 'https://xunjian.example');
      // Both collectors plan: each event once. At once on PostgreSQL; one after the other on
      // SQLite, whose two connections in ONE process would deadlock — the second's busy wait
      // blocks the event loop the first needs to commit (SQLite is one collector anyway).
      const [pa, pb] = a.engine === 'postgres' ? await Promise.all([plan(a), plan(b)]) : [await plan(a), await plan(b)];
      expect(pa.deliveries + pb.deliveries).toBe(3);
      const planned = (await repoB.outbox('bank', 'pending', 10)).reverse();
      expect(planned.map((r) => [r.recipient, r.lang, r.state, r.attempts, r.nextAt])).toEqual([
        ['wang', 'zh', 'pending', 0, now.getTime()],
        ['Smith', 'en', 'pending', 0, now.getTime()],
        ['zhao', 'zh', 'pending', 0, now.getTime()],
      ]);
      expect(planned[1]!.address).toBe('smith@bank.example');
      expect(planned[1]!.message.title).toMatch(/[A-Za-z]/);
      expect(planned[1]!.message.link).toBe('https://xunjian.example/sites/bank/review?month=2026-11');
      channel.close?.();
    });

    it('claims due messages most urgent first, each by one collector, leased; puts one back uncounted; takes back only what outlived its lease', async () => {
      await a.run('DELETE FROM notify_outbox');
      const ids: Record<string, number> = {};
      for (const [key, priority, nextAt] of [['p3', 'P3', T0], ['none', null, T0 - 5_000], ['p1', 'P1', T0], ['p2-old', 'P2', T0 - 1_000], ['later', 'P1', T0 + 60_000]] as const) {
        ids[key] = await repoA.insertDelivery(delivery({ priority, nextAt }));
      }
      // One claimer: the most urgent first (P1, then P2, then oldest), only what is due.
      expect((await repoA.claimDue(T0, 2, LEASE_MS)).map((r) => r.id)).toEqual([ids.p1, ids['p2-old']]);
      // Two at once: what is left goes to one or the other, never to both.
      const [first, second] = await Promise.all([repoA.claimDue(T0, 3, LEASE_MS), repoB.claimDue(T0, 3, LEASE_MS)]);
      const claimed = [...first, ...second];
      expect(claimed.map((r) => r.id).sort((x, y) => x - y)).toEqual([ids.p3!, ids.none!].sort((x, y) => x - y));
      expect(claimed.every((r) => r.state === 'sending' && r.attempts === 1)).toBe(true);
      expect(await repoB.claimDue(T0, 10, LEASE_MS)).toEqual([]);
      const leases = new Map((await rows()).map((r) => [r.id, r]));
      expect(leases.get(ids.p1!)).toMatchObject({ state: 'sending', attempts: 1, lease_until: T0 + LEASE_MS });
      expect(leases.get(ids.later!)).toMatchObject({ state: 'pending', attempts: 0, lease_until: null });

      await repoA.putBack(ids.p3!, T0 + 3_000);
      expect((await rows()).find((r) => r.id === ids.p3)).toMatchObject({ state: 'pending', attempts: 0, next_at: T0 + 3_000, lease_until: null });
      expect((await repoB.claimDue(T0 + 3_000, 10, LEASE_MS)).map((r) => r.id)).toEqual([ids.p3]);

      // The collector holding them stopped: the other takes them back only after their lease.
      expect(await repoB.releaseAbandoned(T0 + LEASE_MS - 1)).toBe(0);
      expect(await repoB.releaseAbandoned(T0 + LEASE_MS)).toBe(3);
      const again = await repoB.claimDue(T0 + LEASE_MS, 10, LEASE_MS);
      // p3's new lease (claimed again at T0 + 3 s) has not run out; `later` is due now.
      expect(again.map((r) => [r.id, r.attempts])).toEqual([[ids.p1, 2], [ids.later, 1], [ids['p2-old'], 2], [ids.none, 2]]);
    });

    // SQLite has one writer: a claim there never meets another's open transaction.
    if (name === 'PostgreSQL') it('passes over rows another collector is claiming instead of waiting for its transaction (SKIP LOCKED)', async () => {
      await a.run('DELETE FROM notify_outbox');
      const ids: number[] = [];
      for (let i = 0; i < 4; i++) ids.push(await repoA.insertDelivery(delivery({ priority: 'P2', nextAt: T0 + i })));
      const outcome = await b.transaction(async () => {
        const mine = await repoB.claimDue(T0 + 10, 2, LEASE_MS);
        // B's claim is not committed yet; A must not queue behind it (B waits for A here: a wait would never end).
        let timer: NodeJS.Timeout | undefined;
        const blocked = new Promise<'blocked'>((resolve) => (timer = setTimeout(() => resolve('blocked'), 10_000)));
        const theirs = await Promise.race([repoA.claimDue(T0 + 10, 10, LEASE_MS), blocked]);
        clearTimeout(timer);
        return { mine: mine.map((r) => r.id), theirs: theirs === 'blocked' ? theirs : theirs.map((r) => r.id) };
      });
      expect(outcome).toEqual({ mine: ids.slice(0, 2), theirs: ids.slice(2) });
    });

    it('two collectors draining one outbox send every message once, under its own outbox id', async () => {
      await a.run('DELETE FROM notify_outbox');
      const smtp = await startSmtpServer();
      const clock = () => new Date(T0);
      const channels = [mailChannel('mail', smtp.port, smtp), mailChannel('mail', smtp.port, smtp)];
      const senders = [sender(repoA, channels[0]!, clock), sender(repoB, channels[1]!, clock)];
      try {
        const ids: number[] = [];
        for (let i = 0; i < 40; i++) ids.push(await repoA.insertDelivery(delivery({ recipient: `p${i}`, address: `p${i}@bank.example`, priority: (['P1', 'P2', 'P3', 'P4'] as const)[i % 4] })));
        let claimed = 0;
        for (let round = 0; round < 10 && claimed < ids.length; round++) {
          for (const r of await Promise.all(senders.map((s) => s.sendDue()))) claimed += r.claimed;
        }
        expect(claimed).toBe(40);
        await smtp.waitFor(40);
        const outboxIds = smtp.received.map((m) => String(m.parsed.headers.get('x-xunjian-message-id'))).sort();
        expect(outboxIds).toEqual(ids.map(String).sort());
        expect(new Set(smtp.received.map((m) => m.parsed.messageId)).size).toBe(40);
        expect((await rows()).every((r) => r.state === 'sent' && r.attempts === 1 && r.lease_until === null)).toBe(true);
      } finally {
        for (const c of channels) c.close?.();
        await smtp.close();
      }
    });

    it('a refused relay: retried after 5 s, then 10 s by the app clock, the lease let go each time, then a dead letter saying why', async () => {
      await a.run('DELETE FROM notify_outbox');
      const id = await repoA.insertDelivery(delivery({ priority: 'P1' }));
      let now = T0;
      const clock = () => new Date(now);
      const refused = mailChannel('mail', await closedPort());
      const one = async () => (await rows()).find((r) => r.id === id)!;

      expect((await sender(repoA, refused, clock, { maxAttempts: 3 }).sendDue()).retried).toBe(1);
      expect(await one()).toMatchObject({ state: 'pending', attempts: 1, next_at: T0 + backoffMs(1), lease_until: null });
      expect(backoffMs(1)).toBe(5_000);
      expect((await one()).last_error).toMatch(/ECONNREFUSED|refused/i);
      // Not yet due for the other collector either.
      expect((await sender(repoB, refused, clock, { maxAttempts: 3 }).sendDue()).claimed).toBe(0);

      now = T0 + 5_000;
      expect((await sender(repoB, refused, clock, { maxAttempts: 3 }).sendDue()).retried).toBe(1);
      expect(await one()).toMatchObject({ state: 'pending', attempts: 2, next_at: now + 10_000, lease_until: null });

      now += 10_000;
      expect((await sender(repoA, refused, clock, { maxAttempts: 3 }).sendDue()).dead).toBe(1);
      const dead = await one();
      expect(dead).toMatchObject({ state: 'dead', attempts: 3, lease_until: null });
      expect(dead.last_error).toMatch(/after 3 attempts/);
      expect((await repoB.outbox('bank', 'dead', 10)).map((r) => r.id)).toEqual([id]);
      // Sent again by a person after the relay was fixed: attempts start over.
      expect(await repoB.revive('bank', id, now)).toBe(true);
      expect(await one()).toMatchObject({ state: 'pending', attempts: 0, last_error: null });
      refused.close?.();
    });
  });
}

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
suite('SQLite', async () => [await openStore(join(dir, 'notify.db')), await openStore(join(dir, 'notify.db'))], false);

const missing = postgresMissing();
if (missing) console.warn(`PostgreSQL half of the notification outbox tests skipped: ${missing}`);
let server: TestPostgres | undefined;
afterAll(() => server?.stop());
suite(
  'PostgreSQL',
  async () => {
    server = await startPostgres();
    const first = await openStore(server.url);
    return [first, await openStore(server.url)];
  },
  missing !== null,
);
