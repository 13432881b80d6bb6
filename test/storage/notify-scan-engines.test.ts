/**
 * The notification scans that time passing raises — the month ending without a signed record, the
 * contract year ending — cut in the site's time zone (Asia/Shanghai here), on SQLite and on a real
 * PostgreSQL; and raised once even when two collectors scan the same database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotifyRepository } from '../../collector/notify/repository.js';
import { NotifyScan } from '../../collector/notify/scan.js';
import { createRepositories } from '../../collector/repositories/index.js';
import type { Store } from '../../collector/storage/store.js';
import { onBothEngines } from '../helpers/engines.js';

onBothEngines('notification scan', (engine, open, skip) => {
  describe.skipIf(skip)(`notification scans on ${engine}`, () => {
    let store: Store;
    const events = async () => store.all<{ kind: string; detail: string }>('SELECT kind, detail FROM notify_events ORDER BY id');
    beforeAll(async () => {
      store = await open();
      await createRepositories(store).sites.ensure('bank', Date.parse('2026-11-01T00:00:00Z'));
      await new NotifyRepository(store).setSettings('bank', { monthEndDays: 2, contractStart: '01-01' }, 'wang', 0);
    }, 120_000);
    afterAll(async () => store?.close());

    it('reminds of an unsigned month in the last two days of the site\'s month, not of the UTC month', async () => {
      const scan = new NotifyScan(store, createRepositories(store));
      // 01:00 on 1 December in Shanghai (17:00 UTC on 30 November): November has ended there.
      expect((await scan.scan(new Date('2026-11-30T17:00:00Z'))).raised).toBe(0);
      // 01:00 on 29 November in Shanghai: the month ends in 1 day 23 hours there (in 2 days 7 hours by UTC).
      expect((await scan.scan(new Date('2026-11-28T17:00:00Z'))).raised).toBe(1);
      expect(await events()).toEqual([{ kind: 'inspection.unsigned', detail: JSON.stringify({ month: '2026-11' }) }]);
    });

    it('gives the contract year\'s 15 days\' notice from local midnight, once, however many collectors scan', async () => {
      await store.run('DELETE FROM notify_events');
      const repos = createRepositories(store);
      const now = new Date('2026-12-16T17:00:00Z'); // 01:00 on 17 December in Shanghai: the year ends in 14 days 23 hours
      const [a, b] = await Promise.all([new NotifyScan(store, repos).scan(now), new NotifyScan(store, repos).scan(now)]);
      expect(a.raised + b.raised).toBe(1);
      expect(await events()).toEqual([{ kind: 'contract.year_ending', detail: JSON.stringify({ yearEnd: '2026-12-31' }) }]);
    });
  });
});
