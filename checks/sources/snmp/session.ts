/**
 * A promise wrapper over net-snmp: one session per device, `get` and a GETBULK subtree `walk`.
 * Every request settles exactly once — with the answer, a typed SnmpError, or SnmpTimeoutError
 * from our own deadline should net-snmp never call back. Nothing is thrown inside a callback.
 */
import snmp, { type Session, type Varbind } from 'net-snmp';
import type { DeviceKind } from '../../../schemas/index.js';
import { SnmpAuthError, SnmpError, SnmpResponseError, SnmpTimeoutError } from './errors.js';

export interface SnmpTarget {
  host: string;
  /** UDP port; 161 when absent. */
  port?: number;
  version: '1' | '2c' | '3';
  /** v1/v2c community. */
  community?: string;
  /** v3 user and security level. */
  user?: string;
  level?: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  authProtocol?: 'md5' | 'sha' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
  authKey?: string;
  privProtocol?: 'des' | 'aes' | 'aes256b' | 'aes256r';
  privKey?: string;
  /** The same v3 settings grouped (as bin/inspect.ts builds them); the flat fields win. */
  v3?: { user?: string; level?: SnmpTarget['level']; authProtocol?: SnmpTarget['authProtocol']; authKey?: string; privProtocol?: SnmpTarget['privProtocol']; privKey?: string };
  /** Per request attempt; default 2000 ms. */
  timeoutMs?: number;
  /** Further attempts after the first; default 1. */
  retries?: number;
  /** GETBULK max-repetitions; default 25. */
  maxRepetitions?: number;
  /** The device's name in the site inventory (else sysName, else host). */
  name?: string;
  /** Overrides the profile's device kind (a Catalyst used as a router). */
  kind?: DeviceKind;
  site?: string;
}

/** A value as read: numbers for integer types (Counter64 included), text for strings, OIDs and addresses. */
export type SnmpValue = number | string;

export interface WalkedRow {
  oid: string;
  value: SnmpValue;
}

const T = snmp.ObjectType as Record<string, number>;

/** Converts a varbind's value; undefined for noSuchObject/noSuchInstance/endOfMibView and null. */
export function varbindValue(vb: Varbind): SnmpValue | undefined {
  const v = vb.value;
  switch (vb.type) {
    case T.NoSuchObject:
    case T.NoSuchInstance:
    case T.EndOfMibView:
    case T.Null:
      return undefined;
    case T.Counter64: {
      // net-snmp hands Counter64 over as a big-endian byte buffer.
      if (Buffer.isBuffer(v)) {
        let n = 0n;
        for (const byte of v) n = (n << 8n) | BigInt(byte);
        return Number(n);
      }
      return typeof v === 'number' ? v : Number(v);
    }
    case T.OctetString:
    case T.Opaque:
      return Buffer.isBuffer(v) ? decodeText(v) : String(v);
    default:
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      if (Buffer.isBuffer(v)) return decodeText(v);
      return v === null || v === undefined ? undefined : String(v);
  }
}

/** UTF-8 when it decodes cleanly, else hex (binary octet strings such as MAC addresses). */
function decodeText(buf: Buffer): string {
  const text = buf.toString('utf8');
  if (!text.includes('\uFFFD') && !/[\x00-\x08\x0e-\x1f]/.test(text.replace(/\0+$/, ''))) return text.replace(/\0+$/, '');
  return buf.toString('hex');
}

function levelOf(level: SnmpTarget['level']): number {
  return snmp.SecurityLevel[level ?? 'authPriv'];
}

export class SnmpSession {
  readonly target: SnmpTarget;
  readonly address: string;
  readonly timeoutMs: number;
  readonly retries: number;
  private readonly session: Session;
  private closed = false;
  /** Socket-level errors net-snmp emits (malformed packets); kept so a caller can report them. */
  readonly socketErrors: Error[] = [];

  constructor(given: SnmpTarget) {
    const target: SnmpTarget = { ...given.v3, ...stripUndefined(given) };
    this.target = target;
    this.timeoutMs = target.timeoutMs ?? 2000;
    this.retries = target.retries ?? 1;
    const port = target.port ?? 161;
    this.address = `${target.host}:${port}`;
    const options = {
      port,
      retries: this.retries,
      timeout: this.timeoutMs,
      backoff: 1,
      transport: target.host.includes(':') ? ('udp6' as const) : ('udp4' as const),
      idBitsSize: 32 as const,
    };
    if (target.version === '3') {
      if (!target.user) throw new SnmpError('USAGE', this.address, `SNMPv3 target ${this.address} needs a user`);
      const level = levelOf(target.level);
      const user = {
        name: target.user,
        level,
        ...(level !== snmp.SecurityLevel.noAuthNoPriv
          ? { authProtocol: snmp.AuthProtocols[target.authProtocol ?? 'sha'], authKey: target.authKey ?? '' }
          : {}),
        ...(level === snmp.SecurityLevel.authPriv
          ? { privProtocol: snmp.PrivProtocols[target.privProtocol ?? 'aes'], privKey: target.privKey ?? '' }
          : {}),
      };
      if (level !== snmp.SecurityLevel.noAuthNoPriv && !target.authKey)
        throw new SnmpError('USAGE', this.address, `SNMPv3 ${target.level ?? 'authPriv'} for ${this.address} needs an auth key`);
      if (level === snmp.SecurityLevel.authPriv && !target.privKey)
        throw new SnmpError('USAGE', this.address, `SNMPv3 authPriv for ${this.address} needs a privacy key`);
      this.session = snmp.createV3Session(target.host, user, { ...options, version: snmp.Version3 });
    } else {
      if (!target.community) throw new SnmpError('USAGE', this.address, `SNMP v${target.version} target ${this.address} needs a community`);
      this.session = snmp.createSession(target.host, target.community, {
        ...options,
        version: target.version === '1' ? snmp.Version1 : snmp.Version2c,
      });
    }
    // An 'error' event without a listener would crash the process; keep it instead.
    this.session.on('error', (e: Error) => this.socketErrors.push(e));
  }

  /** GET of scalars; a missing object gives `undefined` at its position. */
  async get(oids: string[]): Promise<(SnmpValue | undefined)[]> {
    const varbinds = await this.request<Varbind[]>(`GET ${oids.join(', ')}`, (cb) => this.session.get(oids, cb));
    return oids.map((_, i) => {
      const vb = varbinds[i];
      return vb && !snmp.isVarbindError(vb) ? varbindValue(vb) : undefined;
    });
  }

  /**
   * Every object under `base` in OID order: GETBULK (v2c/v3) or GETNEXT (v1) until the answer
   * leaves the subtree. Stops on a non-increasing OID (a looping agent) or after `maxRows`.
   */
  async walk(base: string, maxRows = 20_000): Promise<WalkedRow[]> {
    const rows: WalkedRow[] = [];
    const prefix = `${base}.`;
    let cursor = base;
    const bulk = this.target.version !== '1';
    const full = this.target.maxRepetitions ?? 25;
    // The first request asks for few rows: most columns a profile names are short or absent on a
    // given device, and every row past the column's end is work wasted on both sides.
    let reps = Math.min(8, full);
    for (;;) {
      let varbinds: Varbind[];
      if (bulk) {
        const answer = await this.request<(Varbind | Varbind[])[]>(`GETBULK ${cursor}`, (cb) =>
          this.session.getBulk([cursor], 0, reps, cb),
        );
        varbinds = answer.flat();
        reps = full;
      } else {
        try {
          varbinds = await this.request<Varbind[]>(`GETNEXT ${cursor}`, (cb) => this.session.getNext([cursor], cb));
        } catch (e) {
          // v1 agents end a walk with noSuchName.
          if (e instanceof SnmpResponseError && /noSuchName|NoSuchName/.test(e.message)) return rows;
          throw e;
        }
      }
      if (varbinds.length === 0) return rows;
      for (const vb of varbinds) {
        if (vb.type === T.EndOfMibView || !vb.oid.startsWith(prefix)) return rows;
        if (compareOids(vb.oid, cursor) <= 0) return rows;
        const value = varbindValue(vb);
        if (value !== undefined) rows.push({ oid: vb.oid, value });
        cursor = vb.oid;
        if (rows.length >= maxRows) return rows;
      }
    }
  }

  /**
   * One GETBULK carrying several columns: for each cursor, the objects that follow it (up to
   * `repetitions`; fewer when the agent truncates a large answer). `end` marks endOfMibView.
   */
  async bulkNext(cursors: string[], repetitions: number): Promise<{ oid: string; value: SnmpValue | undefined; end: boolean }[][]> {
    const answer = await this.request<(Varbind | Varbind[])[]>(`GETBULK ${cursors.length === 1 ? cursors[0] : `${cursors[0]} … (${cursors.length} columns)`}`, (cb) =>
      this.session.getBulk(cursors, 0, repetitions, cb),
    );
    return cursors.map((_, i) => {
      const column = answer[i];
      const list = column === undefined ? [] : Array.isArray(column) ? column : [column];
      return list.map((vb) => ({ oid: vb.oid, value: varbindValue(vb), end: vb.type === T.EndOfMibView }));
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.session.close();
    } catch {
      // already closed by net-snmp after a socket error
    }
  }

  /** Runs one net-snmp request; settles once, on the answer, on an error, or on our own deadline. */
  private request<R>(what: string, start: (cb: (error: Error | null, result?: R) => void) => void): Promise<R> {
    if (this.closed) return Promise.reject(new SnmpError('SNMP_CLOSED', this.address, `SNMP session to ${this.address} is closed`));
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      // net-snmp gives up after timeout × (retries + 1); ours is a safety net a little later.
      const deadline = setTimeout(() => settle(new SnmpTimeoutError(this.address, this.timeoutMs, this.retries, what)), this.timeoutMs * (this.retries + 1) + 1000);
      const settle = (error: Error | null, result?: R) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        if (error) reject(this.translate(error, what));
        else resolve(result as R);
      };
      try {
        start((error, result) => settle(error, result));
      } catch (e) {
        settle(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  private translate(error: Error, what: string): SnmpError {
    if (error instanceof SnmpError) return error;
    const name = error.name;
    if (name === 'RequestTimedOutError') return new SnmpTimeoutError(this.address, this.timeoutMs, this.retries, what);
    const code = (error as { code?: number }).code;
    if (name === 'ResponseInvalidError' && code === snmp.ResponseInvalidCode.EAuthFailure) return new SnmpAuthError(this.address, error.message, { cause: error });
    if (name === 'ResponseInvalidError' && /Unknown User|Wrong Digest|Decryption|Security Level|Engine ID/i.test(error.message))
      return new SnmpAuthError(this.address, error.message, { cause: error });
    return new SnmpResponseError(this.address, `${what}: ${error.message}`, { cause: error });
  }
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Numeric OID order: 1.3.6.1.10 comes after 1.3.6.1.9. */
export function compareOids(a: string, b: string): number {
  // Called for every varbind a walk reads: compares sub-identifier by sub-identifier in place,
  // without the two arrays and the numbers split('.') would allocate each time.
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    let x = 0;
    let y = 0;
    for (let c = a.charCodeAt(i); i < a.length && c !== 46; c = a.charCodeAt(++i)) x = x * 10 + (c - 48);
    for (let c = b.charCodeAt(j); j < b.length && c !== 46; c = b.charCodeAt(++j)) y = y * 10 + (c - 48);
    if (x !== y) return x - y;
    i++;
    j++;
  }
  // One ran out first: the shorter OID (a prefix of the other) sorts first.
  return (i < a.length ? 1 : 0) - (j < b.length ? 1 : 0);
}
