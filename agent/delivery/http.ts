/**
 * One POST to the collector over node:http(s) (lighter than fetch's undici in a long-running
 * daemon). Resolves with the status whatever it is; rejects only when no answer came (refused,
 * reset, DNS, timeout): those are the retryable network errors.
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/*
 * One connection to the collector, kept between requests. Node's global agent closes an idle
 * socket after 5 s, so every report and heartbeat paid a new TCP connection (and over HTTPS a
 * full TLS handshake, far dearer than the report). Idle sockets now live up to 65 s — the
 * heartbeat (60 s by default) keeps them warm — or less when the collector's `Keep-Alive:
 * timeout=` says so (node closes a second before the server would). A socket the collector
 * closed anyway fails that one request as a network error, which delivery retries and a
 * heartbeat merely logs.
 */
const KEEP = { keepAlive: true, timeout: 65_000, maxSockets: 2, maxFreeSockets: 1 };
const httpAgent = new HttpAgent(KEEP);
const httpsAgent = new HttpsAgent(KEEP);

/** Closes the kept connections (the daemon's stop). */
export function closeConnections(): void {
  httpAgent.destroy();
  httpsAgent.destroy();
}

export interface CollectorAnswer {
  status: number;
  body: string;
}

export class NetworkError extends Error {}

export function postJson(url: string, token: string, body: Buffer | string, timeoutMs: number, userAgent: string): Promise<CollectorAnswer> {
  return new Promise((resolve, reject) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      reject(new NetworkError(`bad collector URL ${url}`));
      return;
    }
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    const https = target.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        agent: https ? httpsAgent : httpAgent,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          authorization: `Bearer ${token}`,
          'user-agent': userAgent,
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          // Answers are small; keep at most 16 KiB for the log.
          if (size < 16_384) chunks.push(c);
          size += c.length;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 16_384) }));
        res.on('error', (e) => reject(new NetworkError(`${target.host}: answer cut off: ${e.message}`)));
      },
    );
    req.on('timeout', () => req.destroy(new NetworkError(`${target.host}: no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => reject(e instanceof NetworkError ? e : new NetworkError(`${target.host}: ${(e as NodeJS.ErrnoException).code ?? e.message}`)));
    req.end(payload);
  });
}

/** The collector's message from an error body ({ message } or { error }), else the raw text. */
export function answerMessage(a: CollectorAnswer): string {
  try {
    const parsed = JSON.parse(a.body) as { message?: unknown; error?: unknown };
    const m = parsed.message ?? parsed.error;
    if (typeof m === 'string') return m;
  } catch {
    /* not JSON */
  }
  return a.body.trim().slice(0, 300) || '(empty answer)';
}
