/**
 * A customer is shown an alias for a report id that names an address (collector/users/report-aliases.ts),
 * and follows it at once. On PostgreSQL the alias is written on one pooled connection and looked up
 * on another: the lookup must find the alias this collector has just shown, not race its write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../collector/storage/store.js';
import { ReportAliases } from '../../collector/users/report-aliases.js';
import { onBothEngines } from '../helpers/engines.js';

function suite(name: string, open: () => Promise<Store>, skip: boolean) {
  describe.skipIf(skip)(`report aliases on ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => store?.close());

    it('leads an alias back to its report as soon as it has been shown', async () => {
      const aliases = new ReportAliases(store, (err) => {
        throw err;
      });
      await aliases.load();
      for (let i = 0; i < 20; i++) {
        const id = `snmp-10.1.2.${i}-161-20261120T1000-ab12cd`;
        const alias = aliases.shown(id);
        expect(alias).not.toContain('10.1.2');
        expect(await aliases.stored(alias)).toBe(id);
      }
      // An id nobody was shown is itself.
      expect(await aliases.stored('report-00000000-0000-4000-8000-000000000000')).toBe('report-00000000-0000-4000-8000-000000000000');
    });
  });
}

onBothEngines('report alias', suite);
