/**
 * Stand-ins for the far ends of notifications, on loopback, over HTTPS with a certificate made
 * for the test: the WeCom, DingTalk and Feishu group robots and a generic webhook receiver. Each
 * checks what its vendor's public documentation says it checks — the URL's key/token, the
 * signature (DingTalk 加签, Feishu 签名校验, our webhook's HMAC), the message shape — and answers
 * with the vendor's documented codes: WeCom 45009 / 93000, DingTalk 130101 / 310000 / 300001,
 * Feishu 11232 / 19021 / 9499; a per-robot limit of `perMinute` messages (vendors: 20). Shared by
 * the channel tests and the sender's tests (collector/notify).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoopbackCertificate {
  key: string;
  cert: string;
}

/** A self-signed certificate for 127.0.0.1 and localhost (subjectAltName), made by openssl. */
export function makeLoopbackCertificate(): LoopbackCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-notify-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Vendor = 'wecom' | 'dingtalk' | 'feishu' | 'webhook';

/** One request the endpoints accepted (signature and shape good). */
export interface Received {
  vendor: Vendor;
  /** The robot's key/token, or the webhook's path. */
  robot: string;
  body: Record<string, unknown>;
  raw: string;
  headers: IncomingMessage['headers'];
  url: string;
}

export interface EndpointOptions {
  cert?: LoopbackCertificate;
  /** WeCom robot keys that exist. */
  wecomKeys?: string[];
  /** DingTalk access tokens and their 加签 secret (undefined: the robot does not sign). */
  dingtalk?: Record<string, string | undefined>;
  /** Feishu hook tokens and their 签名校验 secret. */
  feishu?: Record<string, string | undefined>;
  /** Webhook paths (e.g. "/hooks/ops") and their signing secret. */
  webhooks?: Record<string, string>;
  /** Messages a robot takes per minute before its rate-limit code (vendors: 20). */
  perMinute?: number;
}

export interface NotifyEndpoints {
  /** https://127.0.0.1:PORT */
  origin: string;
  cert: LoopbackCertificate;
  received: Received[];
  /** Every request, accepted or not, with the code or status it was answered. */
  answered: { vendor: Vendor; status: number; code?: number }[];
  /** The next request on `vendor` gets this HTTP status (and Retry-After) instead. */
  failNext(vendor: Vendor, status: number, retryAfter?: string): void;
  /** The next requests on `vendor` are held `ms` before any answer (a timeout). */
  stallNext(vendor: Vendor, ms: number): void;
  wecomUrl(key: string): string;
  dingtalkUrl(token: string): string;
  feishuUrl(token: string): string;
  webhookUrl(path: string): string;
  stop(): Promise<void>;
}

const HOUR_MS = 3_600_000;
const WEBHOOK_TOLERANCE_S = 300;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startNotifyEndpoints(options: EndpointOptions = {}): Promise<NotifyEndpoints> {
  const cert = options.cert ?? makeLoopbackCertificate();
  const perMinute = options.perMinute ?? 20;
  const received: Received[] = [];
  const answered: NotifyEndpoints['answered'] = [];
  const failures = new Map<Vendor, { status: number; retryAfter?: string }>();
  const stalls = new Map<Vendor, number>();
  const sent = new Map<string, number[]>();
  const seenDeliveries = new Set<string>();

  /** A robot over its per-minute allowance (sliding window, as the vendors describe it). */
  const overLimit = (robot: string): boolean => {
    const now = Date.now();
    const times = (sent.get(robot) ?? []).filter((t) => now - t < 60_000);
    if (times.length >= perMinute) {
      sent.set(robot, times);
      return true;
    }
    times.push(now);
    sent.set(robot, times);
    return false;
  };

  const reply = (res: ServerResponse, vendor: Vendor, status: number, body: Record<string, unknown>, code?: number) => {
    answered.push({ vendor, status, ...(code !== undefined ? { code } : {}) });
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  const wecom = (res: ServerResponse, url: URL, body: Record<string, unknown> | undefined, req: IncomingMessage, raw: string) => {
    const key = url.searchParams.get('key') ?? '';
    const ans = (errcode: number, errmsg: string) => reply(res, 'wecom', 200, { errcode, errmsg }, errcode);
    if (!options.wecomKeys?.includes(key)) return ans(93000, 'invalid webhook url');
    const md = body?.markdown as { content?: unknown } | undefined;
    if (body?.msgtype !== 'markdown' || typeof md?.content !== 'string' || md.content === '') return ans(40008, 'invalid message type');
    if (Buffer.byteLength(md.content) > 4096) return ans(40058, 'markdown.content exceed max length 4096');
    if (overLimit(`wecom:${key}`)) return ans(45009, 'api freq out of limit');
    received.push({ vendor: 'wecom', robot: key, body, raw, headers: req.headers, url: url.toString() });
    return ans(0, 'ok');
  };

  const dingtalk = (res: ServerResponse, url: URL, body: Record<string, unknown> | undefined, req: IncomingMessage, raw: string) => {
    const token = url.searchParams.get('access_token') ?? '';
    const ans = (errcode: number, errmsg: string) => reply(res, 'dingtalk', 200, { errcode, errmsg }, errcode);
    if (!options.dingtalk || !(token in options.dingtalk)) return ans(300001, 'token is not exist');
    const secret = options.dingtalk[token];
    if (secret !== undefined) {
      const ts = Number(url.searchParams.get('timestamp'));
      const sign = url.searchParams.get('sign') ?? '';
      const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
      if (!Number.isFinite(ts) || Math.abs(Date.now() - ts) > HOUR_MS || !safeEqual(sign, expected)) return ans(310000, 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]');
    }
    const md = body?.markdown as { title?: unknown; text?: unknown } | undefined;
    if (body?.msgtype !== 'markdown' || typeof md?.title !== 'string' || typeof md.text !== 'string') return ans(40035, 'missing parameter');
    if (overLimit(`dingtalk:${token}`)) return ans(130101, 'send too fast, exceed 20 times per minute');
    received.push({ vendor: 'dingtalk', robot: token, body, raw, headers: req.headers, url: url.toString() });
    return ans(0, 'ok');
  };

  const feishu = (res: ServerResponse, url: URL, body: Record<string, unknown> | undefined, req: IncomingMessage, raw: string) => {
    const token = url.pathname.split('/').pop() ?? '';
    const ans = (code: number, msg: string) => reply(res, 'feishu', code === 0 ? 200 : 400, code === 0 ? { code, msg, data: {} } : { code, msg, data: {} }, code);
    if (!options.feishu || !(token in options.feishu)) return ans(19001, 'param invalid: incoming webhook access token invalid');
    const secret = options.feishu[token];
    if (secret !== undefined) {
      const ts = Number(body?.timestamp);
      const expected = createHmac('sha256', `${body?.timestamp as string}\n${secret}`).update('').digest('base64');
      if (typeof body?.timestamp !== 'string' || !Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > 3600 || typeof body.sign !== 'string' || !safeEqual(body.sign, expected)) return ans(19021, 'sign match fail or timestamp is not within one hour from current time');
    }
    const card = body?.card as { header?: { title?: { content?: unknown } }; elements?: unknown } | undefined;
    if (body?.msg_type !== 'interactive' || typeof card?.header?.title?.content !== 'string' || !Array.isArray(card.elements)) return ans(9499, 'Bad Request');
    if (overLimit(`feishu:${token}`)) return ans(11232, 'frequency limited psm[lark.oapi.app_platform_runtime]appID[1]');
    received.push({ vendor: 'feishu', robot: token, body, raw, headers: req.headers, url: url.toString() });
    return ans(0, 'success');
  };

  const webhook = (res: ServerResponse, url: URL, body: Record<string, unknown> | undefined, req: IncomingMessage, raw: string) => {
    const secret = options.webhooks?.[url.pathname];
    if (secret === undefined) return reply(res, 'webhook', 404, { error: 'no such hook' });
    const ts = Number(req.headers['x-xunjian-timestamp']);
    const sig = String(req.headers['x-xunjian-signature'] ?? '');
    const expected = `v1=${createHmac('sha256', secret).update(`${req.headers['x-xunjian-timestamp'] as string}.${raw}`).digest('hex')}`;
    if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > WEBHOOK_TOLERANCE_S || !safeEqual(sig, expected)) return reply(res, 'webhook', 401, { error: 'bad signature' });
    const delivery = String(req.headers['x-xunjian-delivery'] ?? '');
    if (!body || typeof body.title !== 'string' || body.id !== delivery) return reply(res, 'webhook', 422, { error: 'unexpected body' });
    if (!seenDeliveries.has(delivery)) {
      seenDeliveries.add(delivery);
      received.push({ vendor: 'webhook', robot: url.pathname, body, raw, headers: req.headers, url: url.toString() });
    }
    return reply(res, 'webhook', 200, { ok: true });
  };

  const vendorOf = (path: string): Vendor => (path.startsWith('/cgi-bin/webhook/send') ? 'wecom' : path.startsWith('/robot/send') ? 'dingtalk' : path.startsWith('/open-apis/bot/v2/hook/') ? 'feishu' : 'webhook');

  const server: Server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const vendor = vendorOf(url.pathname);
      const answer = () => {
        const fail = failures.get(vendor);
        if (fail) {
          failures.delete(vendor);
          answered.push({ vendor, status: fail.status });
          res.writeHead(fail.status, { 'content-type': 'text/html', ...(fail.retryAfter ? { 'retry-after': fail.retryAfter } : {}) }).end('<html>upstream error</html>');
          return;
        }
        let body: Record<string, unknown> | undefined;
        try {
          const v = JSON.parse(raw) as unknown;
          body = v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
        } catch {
          body = undefined;
        }
        if (req.method !== 'POST') return reply(res, vendor, 405, { error: 'POST only' });
        ({ wecom, dingtalk, feishu, webhook })[vendor](res, url, body, req, raw);
      };
      const stall = stalls.get(vendor);
      if (stall) {
        stalls.delete(vendor);
        setTimeout(() => { if (!res.destroyed) answer(); }, stall).unref();
      } else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `https://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    origin,
    cert,
    received,
    answered,
    failNext: (vendor, status, retryAfter) => void failures.set(vendor, { status, ...(retryAfter ? { retryAfter } : {}) }),
    stallNext: (vendor, ms) => void stalls.set(vendor, ms),
    wecomUrl: (key) => `${origin}/cgi-bin/webhook/send?key=${encodeURIComponent(key)}`,
    dingtalkUrl: (token) => `${origin}/robot/send?access_token=${encodeURIComponent(token)}`,
    feishuUrl: (token) => `${origin}/open-apis/bot/v2/hook/${encodeURIComponent(token)}`,
    webhookUrl: (path) => `${origin}${path}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
