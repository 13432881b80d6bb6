import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { canBindSyslog, firstBindableSyslogPort, syslogNotice } from './port.js';

describe('syslog port choice', () => {
  it('skips a port another listener holds and takes the next free one', async () => {
    const holder = createServer();
    const held = await new Promise<number>((r) => holder.listen(0, '127.0.0.1', () => r((holder.address() as { port: number }).port)));
    try {
      expect(await canBindSyslog(held, '127.0.0.1')).toBe(false);
      expect(await firstBindableSyslogPort([held, 0], '127.0.0.1')).toBe(0); // 0: "any free port" always binds
      expect(await firstBindableSyslogPort([held], '127.0.0.1')).toBeUndefined();
    } finally {
      holder.close();
    }
  });

  it('says in one line where syslog is received, or why not', () => {
    expect(syslogNotice(514, 514, [514, 5514])).toBe("syslog receiver on UDP and TCP port 514: point devices' logging at this machine:514; syslog.port in a configuration file changes it");
    expect(syslogNotice(5514, 5514, [514, 5514])).toMatch(/^syslog receiver on UDP and TCP port 5514 \(port 514 needs root or CAP_NET_BIND_SERVICE, or is taken\)/);
    expect(syslogNotice(0, 0, [514, 5514])).toBe('syslog receiver off: none of the ports 514, 5514 could be bound; set syslog.port in a configuration file (-c) to receive device logs');
    expect(syslogNotice(0, 0, [])).toBe('syslog receiver off (syslog.port 0)');
    expect(syslogNotice(0, 514, [])).toBe('syslog receiver NOT listening on port 514 (see the error above); set syslog.port to a free port or 0');
    expect(syslogNotice(1514, 1514, [])).toMatch(/^syslog receiver on UDP and TCP port 1514: /); // configured, bound
  });
});
