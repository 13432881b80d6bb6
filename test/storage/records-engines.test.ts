/**
 * The records people sign and read, on SQLite and on a real PostgreSQL: the monthly inspection
 * record (assembled from received reports and uploaded field forms, noted, signed, confirmed,
 * amended), firmware history and baselines, and the report queries (monthly CPU/memory aggregates
 * with the peak's time, trend series, the thresholds a report was judged against).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateReport } from '../../checks/index.js';
import { FirmwareRepository } from '../../collector/equipment/firmware.js';
import { createBatchedIngest } from '../../collector/ingest/ingest.js';
import { InspectionsRepository } from '../../collector/inspections/repository.js';
import { createRepositories, type Repositories } from '../../collector/repositories/index.js';
import { ReportQueries } from '../../collector/reports/store.js';
import type { Store } from '../../collector/storage/store.js';
import type { InspectionForm } from '../../schemas/index.js';
import { realisticReport } from '../helpers/collector.js';
import { onBothEngines } from '../helpers/engines.js';

const NOV_START = Date.parse('2026-10-31T16:00:00Z'); // 1 November, Asia/Shanghai
const DEC_START = Date.parse('2026-11-30T16:00:00Z');

function fieldForm(hostname: string, at: string, id: string): InspectionForm {
  const report = { ...realisticReport({ hostname, at: new Date(at), site: 'acme' }), id, source: 'ssh' as const };
  return { report, results: evaluateReport(report, undefined, { lang: 'zh' }) };
}

function suite(name: string, open: () => Promise<Store>, skip: boolean) {
  describe.skipIf(skip)(`records on ${name}`, () => {
    let store: Store;
    let repos: Repositories;
    let ingest: ReturnType<typeof createBatchedIngest>;
    let principal: { tokenId: number; name: string; role: 'engineer'; site: string };
    const send = async (hostname: string, at: string, id: string, options: { cpuAvg?: number; psuFault?: boolean } = {}) =>
      ingest({ ...realisticReport({ hostname, site: 'acme', at: new Date(at), ...options }), id }, principal, new Date(at));

    beforeAll(async () => {
      store = await open();
      repos = createRepositories(store);
      const { row } = await repos.tokens.create({ name: 'field', role: 'engineer', site: 'acme' });
      principal = { tokenId: row.id, name: row.name, role: 'engineer', site: 'acme' };
      ingest = createBatchedIngest(store, repos);
      await send('db01', '2026-10-31T15:59:00.000Z', 'oct-db01', { cpuAvg: 95 }); // 23:59 on 31 October, China time
      await send('db01', '2026-11-02T10:00:00.000Z', 'nov-db01-a', { cpuAvg: 40 });
      await send('db01', '2026-11-03T10:00:00.000Z', 'nov-db01-b', { cpuAvg: 70, psuFault: true });
      await send('web01', '2026-11-03T11:00:00.000Z', 'nov-web01', { cpuAvg: 20 });
    }, 120_000);
    afterAll(async () => store?.close());

    it('assembles November from the reports cut at local midnight, takes field forms once, and walks draft → signed → confirmed → amended', async () => {
      const inspections = new InspectionsRepository(store);
      const draft = await inspections.get('acme', '2026-11');
      expect(draft).toMatchObject({ revision: 1, status: 'draft', locked: false });
      expect(draft.rows).toHaveLength(12);
      const psu = draft.rows.find((r) => r.device === 'db01' && r.check === 'SXKR-004')!;
      expect(psu).toMatchObject({ verdict: 'abnormal', origin: 'report', reportId: 'nov-db01-b', evaluatedAt: '2026-11-03T10:00:00.000Z' });
      expect((await inspections.assemble('acme', '2026-10')).find((r) => r.device === 'db01' && r.check === 'SXKR-001')!.reportId).toBe('oct-db01');

      const forms = [fieldForm('sw01', '2026-11-04T09:00:00.000Z', 'field-sw01'), fieldForm('db01', '2026-11-04T09:30:00.000Z', 'field-db01')];
      expect(await inspections.upload('acme', '2026-11', forms, 'wang', Date.now())).toEqual({ accepted: ['field-sw01', 'field-db01'], duplicates: [] });
      expect(await inspections.upload('acme', '2026-11', forms, 'wang', Date.now())).toEqual({ accepted: [], duplicates: ['field-sw01', 'field-db01'] });
      await expect(inspections.upload('acme', '2026-11', [fieldForm('sw02', '2026-12-04T09:00:00.000Z', 'field-dec')], 'wang', Date.now())).rejects.toThrow(/is in 2026-12, not 2026-11/);
      const withField = await inspections.get('acme', '2026-11');
      expect(withField.rows).toHaveLength(18);
      expect(withField.rows.find((r) => r.device === 'db01' && r.check === 'SXKR-004')).toMatchObject({ origin: 'field', reportId: 'field-db01' });

      await inspections.setNotes('acme', '2026-11', '2号电源故障，已报修。', 'wang', Date.parse('2026-12-01T01:00:00Z'));
      const signed = await inspections.sign('acme', '2026-11', 'wang', Date.parse('2026-12-01T02:00:00Z'));
      expect(signed).toMatchObject({ status: 'signed', signedBy: 'wang', signedAt: '2026-12-01T02:00:00.000Z', notes: '2号电源故障，已报修。' });
      await expect(inspections.setNotes('acme', '2026-11', 'late', 'wang', Date.now())).rejects.toThrow(/signed and awaits the customer's confirmation/);
      await expect(inspections.upload('acme', '2026-11', [fieldForm('sw03', '2026-11-05T09:00:00.000Z', 'field-late')], 'wang', Date.now())).rejects.toThrow(/amend it/);
      const confirmed = await inspections.confirm('acme', '2026-11', 'zhao', Date.parse('2026-12-02T02:00:00Z'));
      expect(confirmed).toMatchObject({ status: 'confirmed', locked: true, confirmedBy: 'zhao' });
      await expect(inspections.confirm('acme', '2026-11', 'zhao', Date.now())).rejects.toThrow(/already confirmed/);
      // A result arriving after the sign-off does not change the signed rows.
      await send('web01', '2026-11-20T11:00:00.000Z', 'nov-web01-late', { psuFault: true });
      expect((await inspections.get('acme', '2026-11')).rows).toEqual(signed.rows);
      const amended = await inspections.amend('acme', '2026-11', 'PSU replaced on the 20th', 'wang', Date.parse('2026-12-03T02:00:00Z'));
      expect(amended).toMatchObject({ revision: 2, status: 'draft', amendmentReason: 'PSU replaced on the 20th', notes: '2号电源故障，已报修。' });
      expect(amended.rows.find((r) => r.device === 'web01' && r.check === 'SXKR-004')!.reportId).toBe('nov-web01-late');
      expect(amended.revisions.map((r) => [r.revision, r.status])).toEqual([[1, 'confirmed'], [2, 'draft']]);
      expect((await inspections.get('acme', '2026-11', 1)).status).toBe('confirmed');
      expect(await inspections.months('acme')).toEqual([{ month: '2026-11', revision: 2, status: 'draft' }]);
    });

    it('keeps firmware steps newest first and one baseline per model, replaced on the second write', async () => {
      const firmware = new FirmwareRepository(store);
      const device = (await repos.devices.get('acme', 'db01'))!;
      await firmware.record(device.id, 'BIOS 2.1', Date.parse('2026-11-01T00:00:00Z'), 'wang', null);
      await firmware.record(device.id, 'BIOS 2.4', Date.parse('2026-11-15T00:00:00Z'), 'wang', '厂商建议');
      const history = (await firmware.historyOf(device.id)).filter((s) => s.origin === 'person');
      expect(history.map((s) => [s.version, s.by, s.note])).toEqual([
        ['BIOS 2.4', 'wang', '厂商建议'],
        ['BIOS 2.1', 'wang', null],
      ]);
      await firmware.setBaseline('acme', 'PowerEdge R740', '2.3', null, 'wang', 1000);
      await firmware.setBaseline('acme', 'PowerEdge R740', '2.4', 'Dell DSA-2026-01', 'li', 2000);
      await firmware.setBaseline('nowhere', 'X', '1', null, 'wang', 3000); // no such site: nothing written
      expect(await firmware.baselinesOf('acme')).toEqual([{ model: 'PowerEdge R740', firmware: '2.4', note: 'Dell DSA-2026-01', setBy: 'li', setAt: 2000 }]);
      expect(await firmware.removeBaseline('acme', 'PowerEdge R740')).toBe(true);
      expect(await firmware.removeBaseline('acme', 'PowerEdge R740')).toBe(false);
      expect(await firmware.baselinesOf('acme')).toEqual([]);
    });

    it('aggregates November\'s CPU per device with the peak\'s time, gives the trend series and the thresholds a report was judged against', async () => {
      const queries = new ReportQueries(store);
      const db01 = (await repos.devices.get('acme', 'db01'))!;
      const perf = await queries.performance('acme', NOV_START, DEC_START);
      const cpu = perf.find((a) => a.deviceId === db01.id && a.component === 'CPU' && a.metric === 'cpu.avg')!;
      expect(cpu).toEqual({ deviceId: db01.id, component: 'CPU', metric: 'cpu.avg', sum: 110, count: 2, max: 70, maxAt: Date.parse('2026-11-03T10:00:00Z') });
      expect(perf.every((a) => ['cpu.avg', 'cpu.max', 'memory.used'].includes(a.metric))).toBe(true);

      const series = await queries.series(db01.id, NOV_START, DEC_START);
      expect(series.filter((r) => r.component === 'CPU' && r.metric === 'cpu.avg')).toEqual([
        { at: Date.parse('2026-11-02T10:00:00Z'), component: 'CPU', metric: 'cpu.avg', value: 40 },
        { at: Date.parse('2026-11-03T10:00:00Z'), component: 'CPU', metric: 'cpu.avg', value: 70 },
      ]);
      expect(series.every((r) => typeof r.value === 'number')).toBe(true);

      const received = await queries.thresholdsOfReport('nov-db01-a');
      expect([...received.keys()].sort()).toEqual(expect.arrayContaining(['SXKR-001', 'SXKR-002']));
      expect(received.get('SXKR-001')).toEqual({ avgMax: { from: 'default', value: 50 }, peakMax: { from: 'default', value: 70 } });
      const uploaded = await queries.thresholdsOfReport('field-sw01');
      expect(uploaded.get('SXKR-001')).toEqual(received.get('SXKR-001'));
      expect((await queries.thresholdsOfReport('no-such-report')).size).toBe(0);
    });
  });
}

onBothEngines('records', suite);
