import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { SERVICES } from '../../collector/services.js';
import { snmpPollerService } from '../../collector/poller/services.js';

/** The service list: named plugins whose declared dependencies fastify checks at start. */
describe('services', () => {
  it('are named, come after what they need, and a service without its dependency refuses to start', async () => {
    const names = SERVICES.map((s) => (s as unknown as Record<symbol, { name?: string; dependencies?: string[] }>)[Symbol.for('plugin-meta')]);
    expect(names.map((m) => m?.name)).toEqual(['cluster', 'credentials', 'snmp-poller', 'bmc-poller', 'silence-scan', 'syslog', 'notify-channels', 'notify']);
    names.forEach((m, i) => {
      for (const d of m?.dependencies ?? []) expect(names.slice(0, i).map((x) => x?.name)).toContain(d);
    });
    const bare = Fastify();
    await expect(bare.register(snmpPollerService).ready()).rejects.toThrow(/dependency 'credentials'|credentials/);
    await bare.close();
  });
});
