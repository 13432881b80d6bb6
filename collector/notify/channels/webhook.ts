import { createHmac } from 'node:crypto';
import { markdownOf } from './render.js';
import { statusResult } from './http.js';
import { httpChannel } from './robot.js';
import type { Channel, OutgoingMessage } from './types.js';

/*
 * The generic webhook: our own JSON body, signed like Stripe and GitHub sign theirs — see README.md
 * "Webhook" for the body and how a receiver checks it. Headers:
 *   X-Xunjian-Delivery:  the message id (the receiver drops one it has seen: retries resend it)
 *   X-Xunjian-Timestamp: unix seconds when signed
 *   X-Xunjian-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 * A receiver refuses a timestamp more than WEBHOOK_TOLERANCE_S from its clock (replays).
 */

export const WEBHOOK_TOLERANCE_S = 300;

export interface WebhookBody {
  version: 1;
  id: string;
  lang: 'zh' | 'en';
  title: string;
  lines: string[];
  link?: string;
  priority?: string;
  /** The same message as markdown, for receivers that just post it on. */
  markdown: string;
}

export function webhookBody(m: OutgoingMessage): WebhookBody {
  return {
    version: 1,
    id: m.id,
    lang: m.lang,
    title: m.title,
    lines: m.lines,
    ...(m.link ? { link: m.link } : {}),
    ...(m.priority ? { priority: m.priority } : {}),
    markdown: markdownOf(m),
  };
}

export function webhookSignature(secret: string, timestampS: number, rawBody: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampS}.${rawBody}`, 'utf8').digest('hex')}`;
}

export function webhookChannel(name: string, settings: { ca?: string; timeoutMs?: number }, secrets: { url: string; secret: string }, now: () => number = Date.now): Channel {
  const url = new URL(secrets.url);
  const what = `webhook at ${url.host}`;
  return httpChannel({
    name,
    kind: 'webhook',
    what,
    ...(settings.ca ? { ca: settings.ca } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    secrets: [secrets.url, secrets.secret],
    backoffMs: 30_000,
    request: (m) => {
      const body = JSON.stringify(webhookBody(m));
      const ts = Math.floor(now() / 1000);
      return { url, body, headers: { 'x-xunjian-delivery': m.id, 'x-xunjian-timestamp': String(ts), 'x-xunjian-signature': webhookSignature(secrets.secret, ts, body) } };
    },
    // Any 2xx is accepted; 4xx will not change by resending (410 Gone included). The body of a 2xx
    // is not repeated: "send test" must not make the collector a reader of arbitrary internal pages.
    answer: (_json, answer) => statusResult(answer, what, 30_000) ?? { outcome: 'sent', detail: `${what} answered HTTP ${answer.status}` },
  });
}
