import { describe, expect, it } from 'vitest';
import { maySeeConfiguration, redactorFor, scrubAddresses } from './confidential.js';

describe('scrubAddresses', () => {
  it('replaces IPv4 (with a port) and IPv6 addresses, full or compressed', () => {
    expect(scrubAddresses('GET sysDescr.0 (10.9.8.7:161)')).toBe('GET sysDescr.0 ([hidden])');
    expect(scrubAddresses('ssh root@192.168.0.1 uptime')).toBe('ssh root@[hidden] uptime');
    expect(scrubAddresses('peer fe80::1ff:fe23:4567:890a down')).toBe('peer [hidden] down');
    expect(scrubAddresses('2001:0db8:0000:0000:0000:ff00:0042:8329 and ::1')).toBe('[hidden] and [hidden]');
  });

  it('leaves times, versions with three parts, OIDs and words alone', () => {
    for (const text of ['at 10:00:00', 'kernel 5.14.0', 'ifOperStatus (1.3.6.1.2.1.2.2.1.8)', 'std::vector', 'PSU 2 failed']) {
      expect(scrubAddresses(text)).toBe(text);
    }
  });
});

describe('redactorFor', () => {
  it('engineers and admins see everything, customers (and anyone else) are redacted', () => {
    expect(['admin', 'engineer'].map(maySeeConfiguration)).toEqual([true, true]);
    expect(['customer', 'agent', ''].map(maySeeConfiguration)).toEqual([false, false, false]);
    const device = { hostname: 'db01', addresses: ['10.1.2.3'], thresholds: { 'SXKR-001': { avgMax: 70 } } };
    expect(redactorFor('engineer').device(device)).toBe(device);
    expect(redactorFor('customer').device(device)).toEqual({ hostname: 'db01', addresses: [], thresholds: null });
    const result = {
      actual: 'no answer from 10.0.0.9',
      commands: ['snmpwalk 10.0.0.9'],
      reason: 'timeout from 10.0.0.9',
      components: [{ component: 'Vlan1 10.0.0.9', actual: 'down', command: 'GET (10.0.0.9:161)', reason: 'x' }],
    };
    expect(redactorFor('customer').result(result)).toEqual({
      actual: 'no answer from [hidden]',
      commands: ['snmpwalk [hidden]'],
      reason: 'timeout from [hidden]',
      components: [{ component: 'Vlan1 [hidden]', actual: 'down', command: 'GET ([hidden])', reason: 'x' }],
    });
    expect(redactorFor('customer').row({ actual: '', commands: [], reason: null, reportId: null })).toEqual({ actual: '', commands: [], reason: null, reportId: null });
  });

  it('shows a customer an opaque report id as it is, any other through the alias map, or [hidden] without one', () => {
    const opaque = 'snmp-0b6f3c1e-8d2a-4f55-9c61-2e7d0f3a9b14';
    const old = 'snmp-10.1.2.3-161-20261120T100000-ab12cd';
    const ids = { shown: (id: string) => `report-alias-of-${id.length}`, stored: (id: string) => Promise.resolve(id) };
    expect(redactorFor('customer', ids).reportId(old)).toBe(`report-alias-of-${old.length}`);
    expect(redactorFor('customer').reportId(opaque)).toBe(opaque);
    expect(redactorFor('customer').reportId(old)).toBe('[hidden]');
    expect(redactorFor('engineer', ids).reportId(old)).toBe(old);
    const stored = { report: old, result: { actual: 'x', commands: [], components: [] } };
    expect(redactorFor('customer', ids).storedResult(stored).report).toBe(`report-alias-of-${old.length}`);
    const ticket = { symptom: 'SXKR-004: no answer from 10.1.2.3', suspectedCause: null };
    expect(redactorFor('customer').ticket(ticket)).toEqual({ symptom: 'SXKR-004: no answer from [hidden]', suspectedCause: null });
  });
});
