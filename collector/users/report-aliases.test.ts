import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onBothEngines } from '../../test/helpers/engines.js';
import type { Store } from '../storage/store.js';
import { OPAQUE_REPORT_ID, ReportAliases } from './report-aliases.js';

const OLD_ID = 'snmp-10.1.2.3-161-20261120T100000-ab12cd';

onBothEngines('report alias', (engine, open, skip) => {
  describe.skipIf(skip)(`report aliases on ${engine}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    }, 120_000);
    afterAll(async () => store?.close());

    it('two collectors on one database show the same opaque-looking alias, and it leads back to the report on either', async () => {
      const a = new ReportAliases(store);
      const b = new ReportAliases(store);
      await a.load();
      await b.load();
      const alias = a.shown(OLD_ID);
      expect(alias).toMatch(OPAQUE_REPORT_ID);
      expect(alias).not.toContain('10.1.2.3');
      expect(b.shown(OLD_ID)).toBe(alias);
      expect(a.shown('ssh-fd00_1__2-20261120T100000-1')).not.toBe(alias);
      const opaque = 'snmp-0b6f3c1e-8d2a-4f55-9c61-2e7d0f3a9b14';
      expect(a.shown(opaque)).toBe(opaque);
      await expect.poll(() => b.stored(alias)).toBe(OLD_ID);
      expect(await a.stored('report-00000000-0000-4000-8000-000000000000')).toBe('report-00000000-0000-4000-8000-000000000000');
      expect(await a.stored(OLD_ID)).toBe(OLD_ID);
    });

    it('keeps showing an alias made before aliases were derived', async () => {
      const legacy = 'report-5d1c2a4e-0f3b-4c6d-9e8f-7a6b5c4d3e2f';
      await store.run('INSERT INTO report_aliases (report_id, alias) VALUES (?, ?)', ['ssh-192.0.2.7-20261001T000000-9', legacy]);
      const c = new ReportAliases(store);
      await c.load();
      expect(c.shown('ssh-192.0.2.7-20261001T000000-9')).toBe(legacy);
      expect(await c.stored(legacy)).toBe('ssh-192.0.2.7-20261001T000000-9');
      expect(() => new ReportAliases(store).shown(OLD_ID)).toThrow(/not loaded/);
    });
  });
});
