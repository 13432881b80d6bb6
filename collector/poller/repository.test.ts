import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrate, openDatabase } from '../storage/db.js';
import { CredentialBox, parseCredentialKey } from './crypto.js';
import { SnmpTargetsRepository } from './repository.js';

const db = () => {
  const d = openDatabase(':memory:');
  migrate(d);
  return d;
};
const base = { port: 161, version: '3' as const, timeoutMs: 1000, retries: 0, intervalS: 60 };

describe('SNMP target credentials', () => {
  it('seals v3 keys and opens them only for the poll', () => {
    const d = db();
    const box = new CredentialBox(randomBytes(32));
    const repo = new SnmpTargetsRepository(d, box);
    const view = repo.create('hq', { ...base, host: '10.0.0.5', user: 'xjpriv', level: 'authPriv', authProtocol: 'sha', authKey: 'auth-secret-1', privProtocol: 'aes', privKey: 'priv-secret-2' }, null, 0);
    expect(view).toMatchObject({ hasAuthKey: true, hasPrivKey: true, hasCommunity: false, user: 'xjpriv' });
    expect(JSON.stringify(view)).not.toMatch(/secret/);
    const row = d.prepare('SELECT auth_key_sealed, priv_key_sealed FROM snmp_targets').get() as Record<string, string>;
    expect(JSON.stringify(row)).not.toMatch(/secret/);
    expect(repo.snmpTarget(repo.byId(view.id)!)).toMatchObject({ version: '3', user: 'xjpriv', level: 'authPriv', authKey: 'auth-secret-1', privKey: 'priv-secret-2' });
    // Another key cannot open them (GCM authenticates): the poll fails instead of using garbage.
    const other = new SnmpTargetsRepository(d, new CredentialBox(randomBytes(32)));
    expect(() => other.snmpTarget(other.byId(view.id)!)).toThrow(/not the one they were sealed with/);
  });

  it('refuses incomplete v3 settings and explains a missing key', () => {
    const repo = new SnmpTargetsRepository(db(), new CredentialBox(randomBytes(32)));
    expect(() => repo.create('hq', { ...base, host: 'a', user: 'u', level: 'authPriv', authKey: 'k' }, null, 0)).toThrow(/privKey/);
    expect(() => repo.create('hq', { ...base, host: 'a', level: 'authNoPriv' }, null, 0)).toThrow(/user/);
    const keyless = new SnmpTargetsRepository(db(), new CredentialBox(undefined));
    expect(() => keyless.create('hq', { ...base, version: '2c', host: 'a', community: 'c' }, null, 0)).toThrow(/XUNJIAN_SNMP_KEY/);
  });

  it('reads the key as 64 hex digits or base64 and rejects other lengths', () => {
    const raw = randomBytes(32);
    expect(parseCredentialKey(raw.toString('hex'))).toEqual(raw);
    expect(parseCredentialKey(raw.toString('base64'))).toEqual(raw);
    expect(parseCredentialKey('  ')).toBeUndefined();
    expect(() => parseCredentialKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
