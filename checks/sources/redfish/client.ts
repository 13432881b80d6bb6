/*
 * A small Redfish HTTPS client for one controller: session log-in (POST Sessions, X-Auth-Token,
 * DELETE at the end) or basic auth, the certificate checked against its pin on every new TLS
 * connection before a byte of HTTP is written, keep-alive so one handshake serves the whole
 * inspection, a timeout per request, and a count of requests and bytes (bench/redfish.ts).
 */
import { Agent, request, type AgentOptions, type RequestOptions } from 'node:https';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import type { Duplex } from 'node:stream';
import { RedfishAuthError, RedfishHttpError, RedfishTimeoutError, RedfishUnreachableError } from './errors.js';
import { checkPin, type PinPolicy } from './pins.js';

export interface RedfishConnection {
  host: string;
  port?: number;
  user: string;
  password: string;
  /** `session` (default): one log-in, a token, a log-out. `basic`: credentials on every request. */
  auth?: 'session' | 'basic';
  /** A pin file, or a check of one's own (the collector keeps its pins in its database): throws to refuse. */
  pins: PinPolicy | PinCheck;
  /** Per request. Default 10 s. */
  timeoutMs?: number;
}

export interface RequestCounts {
  requests: number;
  /** Response body bytes. */
  bytes: number;
}

export type Json = Record<string, unknown>;

/** Called with `host:port` and the certificate's sha256 fingerprint; throws RedfishCertificateError to refuse it. */
export type PinCheck = (target: string, fingerprint: string) => void;

/** Refuses the connection unless the certificate is the pinned one; the request waits for it. */
class PinnedAgent extends Agent {
  constructor(
    private readonly target: string,
    private readonly pins: PinPolicy | PinCheck,
    opts: AgentOptions,
  ) {
    super(opts);
  }
  override createConnection(options: RequestOptions, oncreate?: (err: Error | null, socket: Duplex) => void): Duplex | undefined {
    const socket: TLSSocket = connect({ ...(options as ConnectionOptions), rejectUnauthorized: false });
    const fail = (e: Error) => oncreate?.(e, socket);
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      socket.removeListener('error', fail);
      try {
        const fingerprint = socket.getPeerCertificate().fingerprint256;
        if (typeof this.pins === 'function') this.pins(this.target, fingerprint);
        else checkPin(this.pins, this.target, fingerprint);
      } catch (e) {
        socket.destroy();
        oncreate?.(e as Error, socket);
        return;
      }
      oncreate?.(null, socket);
    });
    return undefined;
  }
}

export class RedfishClient {
  readonly target: string;
  readonly base: string;
  readonly counts: RequestCounts = { requests: 0, bytes: 0 };
  private readonly agent: PinnedAgent;
  private readonly timeoutMs: number;
  private token: string | undefined;
  private sessionPath: string | undefined;

  constructor(private readonly conn: RedfishConnection) {
    const port = conn.port ?? 443;
    this.target = `${conn.host}:${port}`;
    this.base = `https://${conn.host.includes(':') ? `[${conn.host}]` : conn.host}${port === 443 ? '' : `:${port}`}`;
    this.timeoutMs = conn.timeoutMs ?? 10_000;
    this.agent = new PinnedAgent(this.target, conn.pins, { keepAlive: true, maxSockets: 2 });
  }

  /** The URL a path is fetched from: what the form shows as 检查命令. */
  url(path: string): string {
    return `${this.base}${path}`;
  }

  private send(method: string, path: string, body?: Json): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; text: string }> {
    const headers: Record<string, string> = { accept: 'application/json', 'odata-version': '4.0' };
    if (this.token) headers['x-auth-token'] = this.token;
    // Session mode sends nothing before log-in: the service root answers without credentials.
    else if ((this.conn.auth ?? 'session') === 'basic') {
      headers.authorization = `Basic ${Buffer.from(`${this.conn.user}:${this.conn.password}`).toString('base64')}`;
    }
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = 'application/json';
    this.counts.requests++;
    return new Promise((resolve, reject) => {
      const req = request(
        { host: this.conn.host, port: this.conn.port ?? 443, path, method, headers, agent: this.agent, ...(isIp(this.conn.host) ? {} : { servername: this.conn.host }) },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const buf = Buffer.concat(chunks);
            this.counts.bytes += buf.length;
            resolve({ status: res.statusCode ?? 0, headers: res.headers, text: buf.toString('utf8') });
          });
          res.on('error', (e) => reject(new RedfishUnreachableError(this.target, e.message, { cause: e })));
        },
      );
      req.setTimeout(this.timeoutMs, () => req.destroy(new RedfishTimeoutError(this.target, this.timeoutMs, `${method} ${path}`)));
      req.on('error', (e) => {
        if (e instanceof RedfishTimeoutError || (e as { code?: string }).code?.startsWith('REDFISH_')) reject(e);
        else reject(new RedfishUnreachableError(this.target, (e as Error).message, { cause: e }));
      });
      req.end(payload);
    });
  }

  /** Opens a session (unless basic auth). Wrong credentials → RedfishAuthError. */
  async login(sessionsPath = '/redfish/v1/SessionService/Sessions'): Promise<void> {
    if ((this.conn.auth ?? 'session') === 'basic') return;
    const res = await this.send('POST', sessionsPath, { UserName: this.conn.user, Password: this.conn.password });
    if (res.status === 401 || res.status === 403) throw new RedfishAuthError(this.target, `POST ${sessionsPath} answered ${res.status}`);
    if (res.status < 200 || res.status >= 300) throw new RedfishHttpError(this.target, sessionsPath, res.status, `log-in answered HTTP ${res.status}`);
    const token = res.headers['x-auth-token'];
    if (typeof token !== 'string' || !token) throw new RedfishHttpError(this.target, sessionsPath, res.status, 'log-in answered without an X-Auth-Token');
    this.token = token;
    const location = res.headers.location;
    if (typeof location === 'string' && location) this.sessionPath = location.startsWith('http') ? new URL(location).pathname : location;
  }

  /** Ends the session (DELETE) and closes the connections. Never throws. */
  async logout(): Promise<void> {
    try {
      if (this.token && this.sessionPath) await this.send('DELETE', this.sessionPath);
    } catch {
      // The session expires on its own; a failed log-out must not spoil the inspection.
    } finally {
      this.token = undefined;
      this.agent.destroy();
    }
  }

  /** GET one resource as JSON. HTTP errors, bad JSON, 401/403 → typed errors naming the path. */
  async get(path: string): Promise<Json> {
    const res = await this.send('GET', path);
    if (res.status === 401 || res.status === 403) throw new RedfishAuthError(this.target, `GET ${path} answered ${res.status}`);
    if (res.status !== 200) throw new RedfishHttpError(this.target, path, res.status, `HTTP ${res.status}`);
    try {
      const body = JSON.parse(res.text) as unknown;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new Error('not a JSON object');
      return body as Json;
    } catch (e) {
      throw new RedfishHttpError(this.target, path, res.status, `the answer is not a JSON object (${(e as Error).message})`);
    }
  }
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
