/**
 * One POST to the collector over node:http(s) (lighter than fetch's undici in a long-running
 * daemon). Resolves with the status whatever it is; rejects only when no answer came (refused,
 * reset, DNS, timeout): those are the retryable network errors.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

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
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
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
