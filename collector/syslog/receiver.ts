import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { DeviceKind, Measurement, Report, ReportSource } from '../../schemas/index.js';
import type { Principal } from '../auth.js';
import { ERROR_OR_WORSE, SEVERITIES, TcpFramer, parseSyslog, type SyslogMessage } from './parse.js';
import { RefusedSenders, SenderRate, SiteNetworks, type Claim, type Refusal } from './senders.js';

export interface SyslogOptions {
  port: number;
  host: string;
  flushMs: number;
  maxQueue: number;
  /** Per-site networks (CIDR): once declared, a sender matches only within a site holding its address. */
  sites?: Record<string, { networks: string[] }>;
  /** Messages per second per sender (burst 10×). */
  ratePerSecond?: number;
  /** RFC 5425: syslog over TLS on its own port (6514 by convention), octet-counted frames. */
  tls?: { port: number; cert: string; key: string };
}

/** Where a sender's entries go: a registered SNMP target or a device with that address. */
interface Destination {
  site: string;
  hostname: string;
  kind: DeviceKind;
  source: ReportSource;
  tokenId: number | null;
  /** Set for an SNMP target: its entries ride on an immediate poll (a complete report). */
  targetId?: number;
}

interface Batch {
  dest: Destination;
  address: string;
  transport: string;
  received: number;
  entries: { msg: SyslogMessage; transport: string }[];
}

const ADDRESS_TTL_MS = 10_000;
const NEGATIVE_TTL_MS = 2_000;
const MAX_ENTRIES_PER_REPORT = 1000;
const MAX_UNKNOWN_REMEMBERED = 10_000;

/**
 * Syslog receiver: UDP and TCP on one port. Messages are parsed (RFC 5424 / 3164), their sender
 * mapped to a device, and error-or-worse entries batched per device and ingested every flush as
 * SXKR-006 `log.entry` measurements (with `log.scanned`). Unknown senders are counted, logged
 * once per address, and dropped; past `maxQueue` held entries, new ones are dropped and counted.
 */
export class SyslogReceiver {
  private udp: Socket | undefined;
  private tcp: Server | undefined;
  private tls: TlsServer | undefined;
  private readonly sockets = new Set<TcpSocket>();
  private timer: NodeJS.Timeout | undefined;
  private readonly batches = new Map<string, Batch>();
  private queued = 0;
  private addresses = new Map<string, Claim<Destination>[]>();
  private readonly networks: SiteNetworks;
  private readonly rate: SenderRate;
  /** Senders whose messages were attached to no device, for the admin (GET /api/v1/syslog/senders). */
  readonly refused = new RefusedSenders();
  private addressesAt = 0;
  private readonly unknownLogged = new Set<string>();
  private readonly misses = new Map<string, number>();
  /** The map's reload in flight: a message arriving meanwhile waits for it, not reading the old map as "unknown". */
  private reloading: Promise<void> | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private listening = 0;
  private readonly m;

  constructor(
    private readonly app: FastifyInstance,
    private readonly options: SyslogOptions,
  ) {
    this.networks = new SiteNetworks(options.sites);
    this.rate = new SenderRate(options.ratePerSecond ?? 200);
    const r = app.metrics;
    this.m = {
      received: r.counter('xunjian_syslog_messages_total', 'Syslog messages received, by transport'),
      unparsable: r.counter('xunjian_syslog_unparsable_total', 'Syslog messages without a valid <PRI>'),
      unknown: r.counter('xunjian_syslog_unknown_sender_total', 'Syslog messages from addresses that are no registered device (not stored)'),
      refused: r.counter(
        'xunjian_syslog_refused_total',
        'Syslog messages attached to no device, by reason: unknown, ambiguous (claimed by two sites), outside_site_networks, rate_exceeded',
      ),
      dropped: r.counter('xunjian_syslog_dropped_total', 'Syslog entries dropped because the queue was full'),
      stored: r.counter('xunjian_syslog_entries_stored_total', 'Error-or-worse syslog entries ingested'),
    };
    r.gauge('xunjian_syslog_listening', '1 when the syslog port is bound', () => this.listening);
    r.gauge('xunjian_syslog_queue', 'Syslog entries awaiting the next flush', () => this.queued);
  }

  /** The bound UDP and TCP ports (tests bind port 0). */
  ports(): { udp: number; tcp: number; tls: number } {
    const tcpAddr = this.tcp?.address();
    const tlsAddr = this.tls?.address();
    return {
      udp: this.udp?.address().port ?? 0,
      tcp: tcpAddr && typeof tcpAddr === 'object' ? tcpAddr.port : 0,
      tls: tlsAddr && typeof tlsAddr === 'object' ? tlsAddr.port : 0,
    };
  }

  /**
   * Binds both sockets and starts flushing. A port that cannot be bound (514 without root or
   * CAP_NET_BIND_SERVICE, or already taken) is logged as an error and shown in /metrics
   * (xunjian_syslog_listening 0); the rest of the collector keeps serving.
   */
  async start(): Promise<void> {
    try {
      await this.bind();
      this.listening = 1;
    } catch (err) {
      this.app.log.error(
        `syslog receiver NOT listening on ${this.options.host}:${this.options.port}: ${(err as Error).message} (set syslog.port to a free port, 0 to turn it off, or allow binding ports below 1024)`,
      );
      await this.closeSockets();
      return;
    }
    this.timer = setInterval(() => void this.flush(), this.options.flushMs);
    this.timer.unref();
  }

  private async bind(): Promise<void> {
    const { host } = this.options;
    this.tcp = createServer((socket) => this.onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      this.tcp!.once('error', reject);
      this.tcp!.listen(this.options.port, host, () => resolve());
    });
    // With port 0 the UDP socket takes the TCP one's number, so one port serves both.
    const port = this.ports().tcp;
    this.udp = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    this.udp.on('message', (buf, rinfo) => this.onText(buf.toString('utf8'), rinfo.address, 'udp'));
    this.udp.on('error', (err) => this.app.log.error({ err }, 'syslog UDP socket error'));
    await new Promise<void>((resolve, reject) => {
      this.udp!.once('error', reject);
      this.udp!.bind(port, host, () => resolve());
    });
    if (this.options.tls) {
      const { cert, key, port: tlsPort } = this.options.tls;
      // The handshake fails for a client that does not speak TLS; its socket error is dropped with it.
      this.tls = createTlsServer({ cert: readFileSync(cert), key: readFileSync(key) }, (socket) => this.onConnection(socket, 'tls'));
      this.tls.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve, reject) => {
        this.tls!.once('error', reject);
        this.tls!.listen(tlsPort, host, () => resolve());
      });
    }
    this.app.log.info(`syslog receiver on ${host}:${port} (UDP and TCP)${this.tls ? `, TLS on ${this.ports().tls}` : ''}`);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.closeSockets();
    await this.flush();
  }

  private async closeSockets(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const udp = this.udp;
    const tcp = this.tcp;
    const tls = this.tls;
    this.udp = undefined;
    this.tcp = undefined;
    this.tls = undefined;
    this.listening = 0;
    await Promise.all([
      new Promise<void>((r) => {
        if (!udp) return r();
        try {
          udp.close(() => r());
        } catch {
          r(); // never bound
        }
      }),
      new Promise<void>((r) => (tcp?.listening ? tcp.close(() => r()) : r())),
      new Promise<void>((r) => (tls?.listening ? tls.close(() => r()) : r())),
    ]);
  }

  /** TCP (RFC 6587) and TLS (RFC 5425) streams: octet-counted frames, or LF/NUL-ended ones. */
  private onConnection(socket: TcpSocket, transport: 'tcp' | 'tls' = 'tcp'): void {
    this.sockets.add(socket);
    const framer = new TcpFramer();
    const address = normalise(socket.remoteAddress ?? '');
    socket.on('data', async (chunk) => {
      for (const line of framer.push(chunk)) await this.onText(line, address, transport);
    });
    socket.on('end', async () => {
      for (const line of framer.end()) await this.onText(line, address, transport);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** One message from one sender. */
  async onText(text: string, rawAddress: string, transport: 'udp' | 'tcp' | 'tls'): Promise<void> {
    this.m.received.inc({ transport });
    const address = normalise(rawAddress);
    if (!this.rate.allow(address, Date.now())) return this.refuse(address, 'rate_exceeded');
    const chosen = this.networks.choose(address, (await this.claims(address)));
    if ('refused' in chosen) return this.refuse(address, chosen.refused);
    const dest = chosen.dest;
    const msg = parseSyslog(text.trim(), this.app.clock());
    if (!msg) {
      this.m.unparsable.inc();
      return;
    }
    const key = `${dest.site}\u0000${dest.hostname}`;
    let batch = this.batches.get(key);
    if (!batch) {
      batch = { dest, address, transport, received: 0, entries: [] };
      this.batches.set(key, batch);
    }
    batch.received++;
    if (SEVERITIES.indexOf(msg.severity) > ERROR_OR_WORSE) return;
    if (this.queued >= this.options.maxQueue || batch.entries.length >= MAX_ENTRIES_PER_REPORT) {
      this.m.dropped.inc();
      return;
    }
    batch.entries.push({ msg, transport });
    this.queued++;
  }

  /** Forgets the address map: the next message reloads it (after targets were added or removed). */
  invalidate(): void {
    this.addressesAt = 0;
    this.misses.clear();
  }

  /** Counted in /metrics, listed for the admin, logged once per address and reason; never attached. */
  private refuse(address: string, reason: Refusal): void {
    this.m.refused.inc({ reason });
    if (reason === 'unknown') this.m.unknown.inc();
    if (this.refused.note(address, reason, this.app.clock()) && this.unknownLogged.size < MAX_UNKNOWN_REMEMBERED) {
      this.unknownLogged.add(`${reason} ${address}`);
      this.app.log.warn(`syslog from ${address} attached to no device (${reason}): counted, listed at GET /api/v1/syslog/senders, not stored`);
    }
  }

  /** Sender address → the sites' claims on it, SNMP targets first (refreshed every 10 s). */
  private async claims(address: string): Promise<Claim<Destination>[]> {
    const now = Date.now();
    // Two messages of a new sender at once (a TCP stream's lines): the second waits for the
    // reload the first started — before, it found the miss just noted and was refused as unknown.
    if (this.reloading) await this.reloading;
    if (now - this.addressesAt > ADDRESS_TTL_MS) await this.reload(now);
    const found = this.addresses.get(address);
    // One site's claim is settled; no claim or claims of several sites may have changed since the
    // last load (a target removed, a device added): those reload, at most once per NEGATIVE_TTL_MS.
    if (found && new Set(found.map((c) => c.site)).size === 1) return found;
    // A device registered since the last load is picked up at once; an unknown address reloads
    // at most once per NEGATIVE_TTL_MS, so a flood from strangers does not hammer the database.
    const miss = this.misses.get(address);
    if (miss !== undefined && now - miss < NEGATIVE_TTL_MS) return found ?? [];
    if (this.misses.size >= MAX_UNKNOWN_REMEMBERED) this.misses.clear();
    this.misses.set(address, now);
    await this.reload(now);
    return this.addresses.get(address) ?? [];
  }

  /** One reload at a time: messages that need one while it runs share it. */
  private reload(now: number): Promise<void> {
    this.reloading ??= this.reloadAddresses(now).finally(() => (this.reloading = undefined));
    return this.reloading;
  }

  private async reloadAddresses(now: number): Promise<void> {
    // Every site's claim is kept: the same private address at two customers is ambiguous, not
    // "the first registered wins". Within a site, a registered target comes before a device
    // whose report listed the address.
    const map = new Map<string, Claim<Destination>[]>();
    const claim = (address: string, c: Claim<Destination>, first: boolean) => {
      const list = map.get(address) ?? [];
      if (first) list.unshift(c);
      else list.push(c);
      map.set(address, list);
    };
    const devices = await this.app.repos.devices.list();
    for (const d of devices) {
      for (const a of d.addresses) {
        claim(a, { site: d.site, dest: { site: d.site, hostname: d.hostname, kind: d.kind, source: (d.lastSource as ReportSource | null) ?? 'snmp', tokenId: null } }, false);
      }
    }
    // A target's device kind from the devices just read, not one query per target at every reload.
    const kinds = new Map(devices.map((d) => [`${d.site}\u0000${d.hostname}`, d.kind]));
    for (const t of await this.app.snmpTargets.all()) {
      const r = t.raw;
      const hostname = r.name ?? r.hostname ?? r.host;
      const kind = kinds.get(`${r.site}\u0000${hostname}`) ?? (r.kind as DeviceKind | null) ?? 'switch';
      claim(r.host, { site: r.site, registered: true, dest: { site: r.site, hostname, kind, source: 'snmp', tokenId: r.token_id, targetId: r.id } }, true);
    }
    this.addresses = map;
    this.addressesAt = now;
  }

  /** Ingests every pending batch that holds an error-or-worse entry (one report per device). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow()).catch((err: unknown) => this.app.log.error({ err }, 'syslog flush failed'));
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    const batches = [...this.batches.values()];
    this.batches.clear();
    for (const b of batches) {
      this.queued -= b.entries.length;
      if (!b.entries.length) continue;
      const now = this.app.clock();
      if (b.dest.targetId !== undefined && this.app.poller) {
        // An SNMP target: poll it now and add the entries to that report, so its other five
        // checks are measured too rather than stored as "not measured".
        this.app.poller.pollNow(b.dest.targetId, logMeasurements(b, now));
        this.m.stored.inc(undefined, b.entries.length);
        continue;
      }
      const report = toReport(b, now);
      const principal: Principal = { tokenId: b.dest.tokenId as number, name: 'syslog', role: 'admin', site: b.dest.site };
      try {
        await this.app.ingest(report, principal, this.app.clock());
        this.m.stored.inc(undefined, b.entries.length);
      } catch (err) {
        this.app.log.error({ err, device: `${b.dest.site}/${b.dest.hostname}` }, 'syslog batch not stored');
      }
    }
  }
}

/** IPv4-mapped IPv6 (::ffff:10.0.0.1) → 10.0.0.1, so addresses match the registered ones. */
const normalise = (a: string) => a.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

function logMeasurements(b: Batch, now: Date): Measurement[] {
  const command = (t: string) => `syslog ${t} from ${b.address}`;
  return [
    { check: 'SXKR-006', component: 'syslog', metric: 'log.scanned', value: b.received, command: command(b.transport), at: now.toISOString() },
    ...b.entries.map(({ msg, transport }): Measurement => ({
      check: 'SXKR-006',
      component: (msg.app ?? 'syslog').slice(0, 200),
      metric: 'log.entry',
      value: msg.message.slice(0, 4000),
      severity: msg.severity,
      command: command(transport),
      at: msg.at.toISOString(),
    })),
  ];
}

function toReport(b: Batch, now: Date): Report {
  const times = b.entries.map((e) => e.msg.at.getTime());
  const start = new Date(Math.min(now.getTime(), ...times));
  const measurements = logMeasurements(b, now);
  const id = `syslog-${b.dest.site}-${b.address}-${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`.replace(/[^A-Za-z0-9._-]/g, '_');
  return {
    id: id.length > 100 ? `syslog-${now.getTime().toString(36)}-${randomBytes(8).toString('hex')}` : id,
    source: b.dest.source,
    site: b.dest.site,
    window: { start: start.toISOString(), end: now.toISOString() },
    identity: { hostname: b.dest.hostname, kind: b.dest.kind, addresses: [b.address] },
    measurements,
    gaps: [],
    producer: 'xunjian-syslog/0.1.0',
  };
}
