/**
 * The poller's storage on SQLite and on a real PostgreSQL (the schema openStore migrates): SNMP
 * targets created with their credentials sealed, the schedule's reading of the targets due, a
 * poll's outcome recorded (and the target due again only after its interval), BMC/HMC targets
 * created, changed and deleted — and the round's choice (`PollQueue.dueTargets`) shared between
 * two collectors by the real Cluster: on PostgreSQL each due target goes to exactly one of them.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../collector/cluster/index.js';
import { BmcTargetsRepository } from '../../collector/poller/bmc-repository.js';
import { CredentialBox } from '../../collector/poller/crypto.js';
import { PollQueue } from '../../collector/poller/queue.js';
import { SnmpTargetsRepository } from '../../collector/poller/repository.js';
import type { Store } from '../../collector/storage/store.js';
import { onBothEngines } from '../helpers/engines.js';

const MIN = 60_000;
const snmp = { port: 161, version: '2c' as const, community: 'public', timeoutMs: 1000, retries: 0, intervalS: 300 };

/** A schedule that never polls by itself (no start()): the test asks it what it would choose. */
function schedule(due: (now: number) => Promise<{ id: number; lastPollAt: number | null; intervalS: number }[]>, mine?: (id: number) => boolean, poll = async () => {}) {
  return new PollQueue({ concurrency: 4, now: () => 0, due, ...(mine ? { mine } : {}), poll, failed: (e) => { throw e; } });
}

onBothEngines('poller storage', (engine, open, skip) => {
  describe.skipIf(skip)(`poller targets on ${engine}`, () => {
    let store: Store;
    let box: CredentialBox;
    let targets: SnmpTargetsRepository;
    let bmc: BmcTargetsRepository;
    beforeAll(async () => {
      store = await open();
      box = new CredentialBox(randomBytes(32));
      targets = new SnmpTargetsRepository(store, box);
      bmc = new BmcTargetsRepository(store, box);
    }, 120_000);
    afterAll(async () => store?.close());

    it('creates a target with its community sealed in the row and opened only for the poll', async () => {
      const t = await targets.create('bank', { ...snmp, host: '10.9.0.1', community: 'c0mmunity-s3cret', kind: 'switch', role: 'core' }, null, 1_000);
      expect(t).toMatchObject({ site: 'bank', host: '10.9.0.1', hasCommunity: true, kind: 'switch', role: 'core', createdAt: new Date(1_000).toISOString() });
      const row = await store.get<{ community_sealed: string }>('SELECT community_sealed FROM snmp_targets WHERE id = ?', [t.id]);
      expect(row!.community_sealed).toMatch(/^v1:/);
      expect(row!.community_sealed).not.toContain('s3cret');
      expect(targets.snmpTarget((await targets.byId(t.id))!)).toMatchObject({ host: '10.9.0.1', version: '2c', community: 'c0mmunity-s3cret', kind: 'switch' });
      expect((await targets.list('bank')).map((x) => x.id)).toContain(t.id);
    });

    it('reads as due the targets never polled or polled at least their interval ago, and only those', async () => {
      const t0 = 10 * 24 * 60 * MIN;
      const never = await targets.create('due', { ...snmp, host: 'never' }, null, t0);
      const fresh = await targets.create('due', { ...snmp, host: 'fresh' }, null, t0);
      const exact = await targets.create('due', { ...snmp, host: 'exact', intervalS: 60 }, null, t0);
      const stale = await targets.create('due', { ...snmp, host: 'stale', intervalS: 60 }, null, t0);
      await targets.recordPoll(fresh.id, { at: t0 - 4 * MIN, result: 'ok' }); // 300 s interval: due in one minute
      await targets.recordPoll(exact.id, { at: t0 - MIN, result: 'unreachable', error: 'timeout' }); // due this very millisecond
      await targets.recordPoll(stale.id, { at: t0 - 30 * MIN, result: 'error', error: 'key' });
      const mine = new Set([never.id, fresh.id, exact.id, stale.id]);
      const dueAt = async (now: number) => (await targets.due(now)).filter((t) => mine.has(t.id));
      expect(await dueAt(t0)).toEqual([
        { id: never.id, lastPollAt: null, intervalS: 300 },
        { id: exact.id, lastPollAt: t0 - MIN, intervalS: 60 },
        { id: stale.id, lastPollAt: t0 - 30 * MIN, intervalS: 60 },
      ]);
      expect((await dueAt(t0 - 1)).map((t) => t.id)).toEqual([never.id, stale.id]);
      expect((await dueAt(t0 + MIN)).map((t) => t.id)).toEqual([never.id, fresh.id, exact.id, stale.id]);
    });

    it('records a poll outcome: who polled, the report, the hostname learnt on success; a failure keeps the last success; due again only after the interval', async () => {
      const t = await targets.create('rec', { ...snmp, host: '10.9.1.1' }, null, 0);
      const at = 20 * 24 * 60 * MIN;
      await targets.recordPoll(t.id, { at, result: 'ok', reportId: 'poll-a', hostname: 'core-sw1', by: 'collector-a' });
      await targets.recordPoll(t.id, { at: at + 5 * MIN, result: 'unreachable', error: 'no answer in 1000 ms', by: 'collector-b' });
      expect(await targets.get('rec', t.id)).toMatchObject({
        hostname: 'core-sw1',
        lastPollAt: new Date(at + 5 * MIN).toISOString(),
        lastResult: 'unreachable',
        lastError: 'no answer in 1000 ms',
        lastSuccessAt: new Date(at).toISOString(),
        lastReportId: 'poll-a',
      });
      expect(await store.get('SELECT polled_by FROM snmp_targets WHERE id = ?', [t.id])).toEqual({ polled_by: 'collector-b' });
      const stored = (await targets.byId(t.id))!;
      expect({ lastPollAt: stored.lastPollAt, lastSuccessAt: stored.lastSuccessAt, hostname: stored.hostname }).toEqual({ lastPollAt: at + 5 * MIN, lastSuccessAt: at, hostname: 'core-sw1' });
      const ids = async (now: number) => (await targets.due(now)).map((x) => x.id);
      expect(await ids(at + 9 * MIN)).not.toContain(t.id);
      expect(await ids(at + 10 * MIN)).toContain(t.id);
    });

    it('keeps BMC and HMC targets: created sealed, changed (a new protocol forgets the pin and takes its port), 409 for a twin, deleted; due like SNMP targets', async () => {
      const created = await bmc.create('dc', { protocol: 'redfish', host: '10.9.2.1', user: 'root', password: 'calv1n-s3cret', timeoutMs: 5000, intervalS: 120, hostname: 'db01' }, null, 0);
      expect(created).toMatchObject({ protocol: 'redfish', port: 443, hasPassword: true, hasPrivateKey: false, hostname: 'db01' });
      expect(JSON.stringify(await store.get('SELECT * FROM bmc_targets WHERE id = ?', [created.id]))).not.toContain('s3cret');
      const hmc = await bmc.create('dc', { protocol: 'hmc', host: '10.9.2.2', user: 'hscroot', privateKey: 'KEY-s3cret', managedSystem: 'p9-01', timeoutMs: 5000, intervalS: 600, hostname: 'aix01' }, null, 0);
      expect(hmc).toMatchObject({ port: 22, hasPrivateKey: true, managedSystem: 'p9-01' });
      await expect(bmc.create('dc', { protocol: 'hmc', host: '10.9.2.2', user: 'x', password: 'p', managedSystem: 'p9-01', timeoutMs: 5000, intervalS: 600, hostname: 'aix02' }, null, 0)).rejects.toMatchObject({ statusCode: 409 });
      await expect(bmc.create('dc', { protocol: 'hmc', host: '10.9.2.3', user: 'x', password: 'p', timeoutMs: 5000, intervalS: 600, hostname: 'aix03' }, null, 0)).rejects.toMatchObject({ statusCode: 400 });

      await bmc.pin(created.id, 'AA:BB');
      const changed = await bmc.update('dc', created.id, { protocol: 'ipmi', intervalS: 60 });
      expect(changed).toMatchObject({ protocol: 'ipmi', port: 623, intervalS: 60, hasPassword: true });
      expect(changed.pinned).toBeUndefined();
      await expect(bmc.update('dc', created.id, { protocol: 'hmc', host: '10.9.2.2', port: 22, managedSystem: 'p9-01' })).rejects.toMatchObject({ statusCode: 409 });
      expect(bmc.secrets((await bmc.byId(hmc.id))!)).toEqual({ privateKey: 'KEY-s3cret' });

      await bmc.recordPoll(created.id, { at: 100 * MIN, result: 'ok', reportId: 'bmc-a', by: 'collector-a' });
      const due = async (now: number) => (await bmc.due(now)).map((t) => t.id).filter((id) => id === created.id || id === hmc.id);
      expect(await due(100 * MIN)).toEqual([hmc.id]);
      expect(await due(101 * MIN)).toEqual([created.id, hmc.id]);
      expect((await bmc.list('dc')).map((t) => [t.hostname, t.lastResult ?? null])).toEqual([['db01', 'ok'], ['aix01', null]]);

      await bmc.remove('dc', created.id);
      await expect(bmc.get('dc', created.id)).rejects.toMatchObject({ statusCode: 404 });
      expect((await bmc.list('dc')).map((t) => t.id)).toEqual([hmc.id]);
    });

    it("chooses a round's targets in one place: due, this collector's share, not already polling", async () => {
      const ids: number[] = [];
      for (let i = 0; i < 24; i++) ids.push((await targets.create('share', { ...snmp, host: `10.9.3.${i}` }, null, 0)).id);
      const ours = new Set(ids);
      const dueOurs = async (now: number) => (await targets.due(now)).filter((t) => ours.has(t.id));
      // Polling, as a target is while its poll waits on the device: not chosen again.
      let release = () => {};
      const polling = new Promise<void>((r) => (release = r));
      const q = schedule(dueOurs, undefined, () => polling);
      q.soon(ids[0]!);
      expect(await q.dueTargets(0)).toEqual(ids.slice(1));
      release();
      await q.stop();

      // Two collectors on this database: on PostgreSQL each due target is chosen by exactly one;
      // on SQLite the one collector owns them all.
      const a = new Cluster(store);
      const b = new Cluster(store);
      await a.start();
      await b.start();
      try {
        await a.beat();
        const qa = schedule(dueOurs, (id) => a.mine(`snmp:${id}`));
        const qb = schedule(dueOurs, (id) => b.mine(`snmp:${id}`));
        const [ca, cb] = [await qa.dueTargets(0), await qb.dueTargets(0)];
        if (store.engine === 'postgres') {
          expect([...ca, ...cb].sort((x, y) => x - y)).toEqual(ids);
          expect(ca.filter((id) => cb.includes(id))).toEqual([]);
          // 24 targets, two members: one empty share would be a chance of 2 in 2^24.
          expect(ca.length).toBeGreaterThan(0);
          expect(cb.length).toBeGreaterThan(0);
          // b leaves: a takes its targets at its next heartbeat.
          await b.stop();
          await a.beat();
          expect(await qa.dueTargets(0)).toEqual(ids);
        } else {
          expect(ca).toEqual(ids);
          expect(cb).toEqual(ids);
        }
      } finally {
        await a.stop();
        await b.stop();
      }
    });
  });
});
