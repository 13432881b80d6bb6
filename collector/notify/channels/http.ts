import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { DeliveryResult } from './types.js';

/*
 * One JSON POST to a webhook or robot, and what its failure means for the sender. The URL carries
 * the robot's token, so nothing here ever puts the URL (or a secret) into a reason: a reason names
 * the host only, and `redact` wipes any secret that slipped into a library's message.
 */

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface PostOptions {
  /** Extra CA certificates (PEM) to trust: a private CA, or a test's self-signed server. */
  ca?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
}

/** A failure before any HTTP answer, with the Node error code (ECONNREFUSED, ETIMEDOUT, a TLS code…). */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const DEFAULT_TIMEOUT_MS = 10_000;
/** A robot's answer is a small JSON object; a larger one is not read further. */
const MAX_ANSWER_BYTES = 64 * 1024;

export function postJson(url: URL, body: string, options: PostOptions = {}): Promise<HttpAnswer> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'user-agent': 'xunjian-notify/1', ...options.headers },
        ...(options.ca ? { ca: options.ca } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', (err) => reject(new TransportError(codeOf(err), `reading the answer of ${url.host}: ${err.message}`)));
      },
    );
    req.on('timeout', () => req.destroy(new TransportError('ETIMEDOUT', `no answer from ${url.host} within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof TransportError ? err : new TransportError(codeOf(err), `${url.host}: ${err.message}`)));
    req.end(body);
  });
}

const codeOf = (err: Error) => (err as NodeJS.ErrnoException).code ?? 'EUNKNOWN';

/** Certificate problems do not heal by waiting: the channel's `ca` (or the server's certificate) must change. */
const TLS_CODES = /^(CERT_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_WRONG_VERSION_NUMBER|HOSTNAME_MISMATCH)/;

/** A transport failure as the sender should treat it: retry, except a certificate that will not verify. */
export function transportResult(err: unknown, secrets: readonly string[]): DeliveryResult {
  const code = err instanceof TransportError ? err.code : codeOf(err as Error);
  const message = redact(err instanceof Error ? err.message : String(err), secrets);
  if (TLS_CODES.test(code)) return { outcome: 'dead', reason: `TLS: ${message} (set the channel's ca to the server's CA certificate)` };
  return { outcome: 'retry', reason: message };
}

/** Retry-After in seconds or as an HTTP date, in ms from `now`. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * An HTTP status before any vendor code is read: 429 and 5xx and 408 come back later (after
 * Retry-After when given, else `fallbackMs`); any other 4xx will not change by itself.
 */
export function statusResult(answer: HttpAnswer, what: string, fallbackMs: number): DeliveryResult | undefined {
  const s = answer.status;
  if (s >= 200 && s < 300) return undefined;
  const after = retryAfterMs(answer.headers['retry-after']) ?? fallbackMs;
  if (s === 429 || s === 408 || s >= 500) return { outcome: 'retry', reason: `${what} answered HTTP ${s}`, afterMs: after };
  return { outcome: 'dead', reason: `${what} answered HTTP ${s}${short(answer.body) ? `: ${short(answer.body)}` : ''}` };
}

/** The start of an answer's body, for a reason a person reads. */
export const short = (text: string) => text.replace(/\s+/g, ' ').trim().slice(0, 200);

/** Replaces every secret (and the URL-encoded form of it) in `text` with [redacted]. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s || s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s)])) out = out.split(form).join('[redacted]');
  }
  return out;
}

/** The JSON of a robot's answer, or undefined when it is not JSON (a proxy's error page). */
export function jsonOf(body: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(body) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
