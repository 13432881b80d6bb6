/**
 * The ingest pipeline the collector runs (createBatchedIngest with the tickets hook) on both
 * engines: reports stored with their measurements and results, a duplicate acknowledged once, a
 * report whose hook fails rolled back alone while its neighbours commit, and a fault opening one
 * ticket with its deadlines — on SQLite and on a real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestHooks } from '../../collector/ingest/hooks.js';
import { createBatchedIngest } from '../../collector/ingest/ingest.js';
import { createRepositories, type Repositories } from '../../collector/repositories/index.js';
import type { Store } from '../../collector/storage/store.js';
import { TicketsIngestHook } from '../../collector/tickets/hook.js';
import { TicketsRepository } from '../../collector/tickets/repository.js';
import type { Report } from '../../schemas/index.js';
import { realisticReport } from '../helpers/collector.js';
import { onBothEngines } from '../helpers/engines.js';

function suite(name: string, open: () => Promise<Store>, skip: boolean) {
  describe.skipIf(skip)(`ingest on ${name}`, () => {
    let store: Store;
    let repos: Repositories;
    let ingest: ReturnType<typeof createBatchedIngest>;
    let principal: { tokenId: number; name: string; role: 'engineer'; site: string };
    const refused = new Set<string>();
    // A hook that fails for chosen reports: their whole transaction must roll back, and only theirs.
    const refusing: IngestHooks = {
      afterResults(_device, _results, report) {
        if (refused.has(report.id)) throw new Error(`hook refused ${report.id}`);
      },
    };

    beforeAll(async () => {
      store = await open();
      repos = createRepositories(store);
      const { row } = await repos.tokens.create({ name: 'field', role: 'engineer', site: 'acme' });
      principal = { tokenId: row.id, name: row.name, role: 'engineer', site: 'acme' };
      ingest = createBatchedIngest(store, repos, { hooks: [new TicketsIngestHook(store, repos), refusing] });
    }, 120_000);
    afterAll(async () => store?.close());

    it('stores a report, its 60 measurements as sent and its six results; a duplicate id is acknowledged once', async () => {
      const at = new Date('2026-11-28T10:00:00Z');
      const report = { ...realisticReport({ hostname: 'db01', site: 'acme', at }), id: 'r-1' };
      const first = await ingest(report, principal, at);
      expect(first.duplicate).toBe(false);
      expect((await ingest(report, principal, at)).duplicate).toBe(true);
      const stored = (await repos.reports.get('r-1'))!;
      expect(await repos.reports.measurements(stored.id)).toEqual(report.measurements);
      expect((await repos.results.forReport(stored)).map((r) => r.check)).toEqual(['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']);
      expect((await store.get<{ n: number }>('SELECT count(*) AS n FROM reports'))!.n).toBe(1);
    });

    it("keeps each measurement's rare fields as sent: booleans, text, kind, severity, limits and detail, alone and together", async () => {
      const at = new Date('2026-11-28T10:30:00Z');
      const base = realisticReport({ hostname: 'rare01', site: 'acme', at });
      const m = { check: 'SXKR-006', component: 'kernel', metric: 'entry', command: 'dmesg', at: at.toISOString() } as const;
      const rare: Report['measurements'] = [
        { ...m, value: true },
        { ...m, value: false, detail: 'link flapped' },
        { ...m, value: 'Corrected error', severity: 'warning' },
        { ...m, value: 'Machine check', severity: 'critical', detail: 'CPU 1 bank 4' },
        { ...m, check: 'SXKR-005', metric: 'temperature', value: 41, unit: '°C', kind: 'inlet' },
        { ...m, check: 'SXKR-005', metric: 'temperature', value: 62.5, kind: 'cpu', limits: { high: 95, low: 5, source: 'ipmitool sdr: upper critical' } },
        { ...m, check: 'SXKR-005', metric: 'temperature', value: null, limits: { low: 0 } },
        { ...m, value: 'plain text, no rare field' },
        { ...m, value: 7 },
      ];
      const report = { ...base, id: 'r-rare', measurements: [...base.measurements, ...rare] };
      // Stored without judging: these readings would open tickets the tests below count.
      await store.transaction(async () => {
        const site = await repos.sites.seenAt('acme', at.getTime());
        const device = await repos.devices.seenInReport(site, report.identity, report.source, at.getTime());
        await repos.reports.insertJudged(report, device.id, principal.tokenId, at.getTime(), []);
      });
      const stored = (await repos.reports.get('r-rare'))!;
      expect(await repos.reports.measurements(stored.id)).toEqual(report.measurements);
    });

    it('marks a reporting device alive (a report of gaps only does not), and a late report does not overrule a newer verdict', async () => {
      const device = async () => (await repos.devices.get('acme', 'db03'))!.id;
      const liveness = async () => store.get<{ state: string; last_alive_at: number | null; down_since: number | null }>('SELECT state, last_alive_at, down_since FROM device_liveness WHERE device_id = ?', [await device()]);
      const t1 = new Date('2026-11-28T09:00:00Z');
      await ingest({ ...realisticReport({ hostname: 'db03', site: 'acme', at: t1 }), measurements: [], id: 'g-1' }, principal, t1);
      expect(await liveness()).toEqual({ state: 'up', last_alive_at: null, down_since: null }); // known, never seen alive
      await store.run("UPDATE device_liveness SET state = 'down', down_since = ? WHERE device_id = ?", [t1.getTime(), await device()]);
      const t2 = new Date('2026-11-28T09:05:00Z');
      await ingest({ ...realisticReport({ hostname: 'db03', site: 'acme', at: t2 }), id: 'g-2' }, principal, t2);
      expect(await liveness()).toEqual({ state: 'up', last_alive_at: t2.getTime(), down_since: null });
      // A spool flushed late: a PSU fault measured before the good report of 09:05 opens nothing.
      const late = new Date('2026-11-28T09:01:00Z');
      const t3 = new Date('2026-11-28T09:06:00Z');
      await ingest({ ...realisticReport({ hostname: 'db03', site: 'acme', at: late, psuFault: true }), id: 'g-3' }, principal, t3);
      expect(await liveness()).toEqual({ state: 'up', last_alive_at: t3.getTime(), down_since: null });
      expect(await new TicketsRepository(store).list({ site: 'acme', status: 'active' }, t3)).toEqual([]);
    });

    it('rolls back only the report whose hook failed, while reports sent beside it commit', async () => {
      const at = new Date('2026-11-28T11:00:00Z');
      refused.add('r-poison');
      const sent = ['r-a', 'r-poison', 'r-b'].map((id, i) => ingest({ ...realisticReport({ hostname: `srv${i}`, site: 'acme', at }), id }, principal, at));
      const outcomes = await Promise.allSettled(sent);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(await repos.reports.get('r-poison')).toBeUndefined();
      expect(await repos.devices.get('acme', 'srv1')).toBeUndefined();
      expect((await repos.reports.get('r-a'))?.reportId).toBe('r-a');
      expect((await repos.reports.get('r-b'))?.reportId).toBe('r-b');
    });

    it('a failed power supply opens one P2 ticket with its deadlines; the next bad report keeps it; a good one stamps it recovered', async () => {
      const tickets = new TicketsRepository(store);
      const t1 = new Date('2026-11-28T12:00:00Z');
      await ingest({ ...realisticReport({ hostname: 'db02', site: 'acme', at: t1, psuFault: true }), id: 'p-1' }, principal, t1);
      const t2 = new Date('2026-11-28T12:05:00Z');
      await ingest({ ...realisticReport({ hostname: 'db02', site: 'acme', at: t2, psuFault: true }), id: 'p-2' }, principal, t2);
      const open = await tickets.list({ site: 'acme', status: 'active' }, t2);
      expect(open).toHaveLength(1);
      expect(open[0]).toMatchObject({ device: 'db02', subject: 'SXKR-004', priority: 'P2', status: 'open' });
      expect(open[0]!.deadlines.response.due).toBe('2026-11-28T12:30:00.000Z');
      const t3 = new Date('2026-11-28T12:10:00Z');
      await ingest({ ...realisticReport({ hostname: 'db02', site: 'acme', at: t3 }), id: 'p-3' }, principal, t3);
      const after = await tickets.get(open[0]!.id, t3);
      expect(after.events.map((e) => e.event)).toEqual(['open', 'recovered']);
    });

    it('binds an agent token on its first report once, when eight first reports of its device arrive at once', async () => {
      const { row } = await repos.tokens.create({ name: 'agent-new', role: 'agent', site: 'acme' });
      const agent = { tokenId: row.id, name: row.name, role: 'agent' as const, site: 'acme' };
      const at = new Date('2026-11-28T09:00:00Z');
      const sent = Array.from({ length: 8 }, (_, i) => ingest({ ...realisticReport({ hostname: 'agent01', site: 'acme', at }), id: `first-${i}` }, agent, at));
      const outcomes = await Promise.allSettled(sent);
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
      expect((await repos.tokens.get(row.id))?.device).toBe('agent01');
      expect((await store.get<{ n: number }>("SELECT count(*) AS n FROM audit_log WHERE action = 'token.bind' AND subject = ?", [`token #${row.id}`]))!.n).toBe(1);
    });
  });
}

onBothEngines('ingest', suite);
