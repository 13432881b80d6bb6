import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onBothEngines } from '../../test/helpers/engines.js';
import type { Store } from '../storage/store.js';
import { BmcTargetsRepository } from './bmc-repository.js';
import { CredentialBox, parseCredentialKey } from './crypto.js';
import { SnmpTargetsRepository } from './repository.js';

const base = { port: 161, version: '3' as const, timeoutMs: 1000, retries: 0, intervalS: 60 };

onBothEngines('poller target', (engine, open, skip) => {
  describe.skipIf(skip)(`SNMP and BMC targets on ${engine}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    }, 120_000);
    afterAll(async () => store?.close());

    it('seals v3 keys and opens them only for the poll', async () => {
      const box = new CredentialBox(randomBytes(32));
      const repo = new SnmpTargetsRepository(store, box);
      const view = await repo.create('hq', { ...base, host: '10.0.0.5', user: 'xjpriv', level: 'authPriv', authProtocol: 'sha', authKey: 'auth-secret-1', privProtocol: 'aes', privKey: 'priv-secret-2' }, null, 0);
      expect(view).toMatchObject({ hasAuthKey: true, hasPrivKey: true, hasCommunity: false, user: 'xjpriv' });
      expect(JSON.stringify(view)).not.toMatch(/secret/);
      const row = await store.get('SELECT auth_key_sealed, priv_key_sealed FROM snmp_targets WHERE id = ?', [view.id]);
      expect(JSON.stringify(row)).not.toMatch(/secret/);
      expect(repo.snmpTarget((await repo.byId(view.id))!)).toMatchObject({ version: '3', user: 'xjpriv', level: 'authPriv', authKey: 'auth-secret-1', privKey: 'priv-secret-2' });
      // Another key cannot open them (GCM authenticates): the poll fails instead of using garbage.
      const other = new SnmpTargetsRepository(store, new CredentialBox(randomBytes(32)));
      const stored = (await other.byId(view.id))!;
      expect(() => other.snmpTarget(stored)).toThrow(/not the one they were sealed with/);
    });

    it('refuses incomplete v3 settings, explains a missing key, and answers 409 for the same host and port twice', async () => {
      const repo = new SnmpTargetsRepository(store, new CredentialBox(randomBytes(32)));
      await expect(repo.create('hq', { ...base, host: 'a', user: 'u', level: 'authPriv', authKey: 'k' }, null, 0)).rejects.toThrow(/privKey/);
      await expect(repo.create('hq', { ...base, host: 'a', level: 'authNoPriv' }, null, 0)).rejects.toThrow(/user/);
      const keyless = new SnmpTargetsRepository(store, new CredentialBox(undefined));
      await expect(keyless.create('hq', { ...base, version: '2c', host: 'a', community: 'c' }, null, 0)).rejects.toThrow(/XUNJIAN_SNMP_KEY/);
      const first = await repo.create('hq', { ...base, version: '2c', host: 'sw1', community: 'c' }, null, 0);
      await expect(repo.create('hq', { ...base, version: '2c', host: 'sw1', community: 'c' }, null, 0)).rejects.toMatchObject({ statusCode: 409 });
      const second = await repo.create('hq', { ...base, version: '2c', host: 'sw2', community: 'c' }, null, 0);
      await expect(repo.update('hq', second.id, { host: 'sw1' })).rejects.toMatchObject({ statusCode: 409 });
      expect(await repo.update('hq', second.id, { intervalS: 120, name: 'core-sw2' })).toMatchObject({ intervalS: 120, name: 'core-sw2', hostname: 'core-sw2' });
      await repo.recordPoll(first.id, { at: 5000, result: 'ok', reportId: 'poll-1', hostname: 'sw1.bank' });
      await repo.recordPoll(first.id, { at: 6000, result: 'unreachable', error: 'timeout' });
      expect(await repo.get('hq', first.id)).toMatchObject({ lastResult: 'unreachable', lastError: 'timeout', lastReportId: 'poll-1', hostname: 'sw1.bank', lastSuccessAt: new Date(5000).toISOString() });
      expect(await repo.byHost('sw1')).toEqual([{ site: 'hq', hostname: 'sw1.bank', host: 'sw1', tokenId: null }]);
      await repo.remove('hq', second.id);
      await expect(repo.get('hq', second.id)).rejects.toMatchObject({ statusCode: 404 });
    });

    it('keeps BMC targets with their pins: trusted on first use, a changed certificate presented until accepted', async () => {
      const repo = new BmcTargetsRepository(store, new CredentialBox(randomBytes(32)));
      const input = { protocol: 'redfish' as const, host: 'bmc1', user: 'root', password: 'calvin-secret', timeoutMs: 5000, intervalS: 300, hostname: 'db01' };
      const t = await repo.create('hq', input, null, 0);
      expect(t).toMatchObject({ protocol: 'redfish', port: 443, hasPassword: true });
      await expect(repo.create('hq', input, null, 0)).rejects.toMatchObject({ statusCode: 409 });
      await repo.pin(t.id, 'AA:BB');
      await repo.pin(t.id, 'CC:DD'); // a pin is only set once
      await repo.present(t.id, 'CC:DD');
      expect(await repo.byId(t.id)).toMatchObject({ pinned: 'AA:BB', presented: 'CC:DD' });
      await expect(repo.acceptNew('hq', t.id, 'EE:FF')).rejects.toThrow(/presents CC:DD/);
      await repo.acceptNew('hq', t.id, 'cc:dd');
      expect(await repo.byId(t.id)).toMatchObject({ pinned: 'CC:DD', presented: null });
      expect(repo.secrets((await repo.byId(t.id))!)).toEqual({ password: 'calvin-secret' });
      await repo.recordPoll(t.id, { at: 7000, result: 'ok', reportId: 'bmc-1' });
      expect((await repo.list('hq')).map((x) => [x.id, x.lastResult])).toEqual([[t.id, 'ok']]);
    });
  });
});

describe('credential keys', () => {
  it('reads the key as 64 hex digits or base64 and rejects other lengths', () => {
    const raw = randomBytes(32);
    expect(parseCredentialKey(raw.toString('hex'))).toEqual(raw);
    expect(parseCredentialKey(raw.toString('base64'))).toEqual(raw);
    expect(parseCredentialKey('  ')).toBeUndefined();
    expect(() => parseCredentialKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
