import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** Whether this process may listen on `port` for both TCP and UDP at `host` right now (privilege and use). */
export async function canBindSyslog(port: number, host: string): Promise<boolean> {
  const tcp = createServer();
  const tcpOk = await new Promise<boolean>((resolve) => {
    tcp.once('error', () => resolve(false));
    tcp.listen(port, host, () => resolve(true));
  });
  if (!tcpOk) return false;
  const udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const udpOk = await new Promise<boolean>((resolve) => {
    udp.once('error', () => resolve(false));
    udp.bind(port, host, () => resolve(true));
  });
  await new Promise<void>((r) => {
    try {
      udp.close(() => r());
    } catch {
      r(); // never bound
    }
  });
  await new Promise<void>((r) => tcp.close(() => r()));
  return udpOk;
}

/** The first of `ports` this process can bind for syslog at `host`, or undefined. */
export async function firstBindableSyslogPort(ports: readonly number[], host: string): Promise<number | undefined> {
  for (const port of ports) if (await canBindSyslog(port, host)) return port;
  return undefined;
}

/**
 * The one terminal line about syslog (`xunjian start`): where the receiver listens, or that it is
 * off and why. `bound` = the port actually bound (0: none), `wanted` = the configured port,
 * `tried` = the ports probed when none was configured (empty when one was).
 */
export function syslogNotice(bound: number, wanted: number, tried: readonly number[]): string {
  if (bound) {
    const instead = bound !== tried[0] && tried.includes(bound) ? ` (port ${tried[0]} needs root or CAP_NET_BIND_SERVICE, or is taken)` : '';
    return `syslog receiver on UDP and TCP port ${bound}${instead}: point devices' logging at this machine:${bound}; syslog.port in a configuration file changes it`;
  }
  if (wanted === 0 && tried.length) return `syslog receiver off: none of the ports ${tried.join(', ')} could be bound; set syslog.port in a configuration file (-c) to receive device logs`;
  if (wanted === 0) return 'syslog receiver off (syslog.port 0)';
  return `syslog receiver NOT listening on port ${wanted} (see the error above); set syslog.port to a free port or 0`;
}
