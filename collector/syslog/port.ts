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
