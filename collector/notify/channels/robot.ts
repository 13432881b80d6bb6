import { jsonOf, postJson, redact, short, statusResult, transportResult, type HttpAnswer } from './http.js';
import type { Channel, DeliveryResult, OutgoingMessage } from './types.js';

/*
 * What every HTTP channel (webhook and the three robots) shares: build the request, POST it, and
 * read the answer — transport failures and 429/5xx first, then the vendor's own code in the JSON.
 */

export interface HttpChannelSpec {
  name: string;
  kind: Channel['kind'];
  /** Shown in reasons instead of the URL (which carries the token). */
  what: string;
  ca?: string;
  timeoutMs?: number;
  /** Every secret of the channel (URL, token, signing secret): wiped from any reason. */
  secrets: readonly string[];
  perMinute?: number;
  minIntervalMs?: number;
  /** How long a rate-limited sender should wait when the answer gives no Retry-After. */
  backoffMs: number;
  request(message: OutgoingMessage): { url: URL; body: string; headers?: Record<string, string> };
  /** The vendor's verdict on a 2xx or 4xx answer (429/408/5xx are already retried). */
  answer(json: Record<string, unknown> | undefined, answer: HttpAnswer): DeliveryResult;
}

export function httpChannel(spec: HttpChannelSpec): Channel {
  return {
    name: spec.name,
    kind: spec.kind,
    ...(spec.perMinute ? { perMinute: spec.perMinute } : {}),
    ...(spec.minIntervalMs ? { minIntervalMs: spec.minIntervalMs } : {}),
    async send(message) {
      const req = spec.request(message);
      let answer: HttpAnswer;
      try {
        answer = await postJson(req.url, req.body, { ...(spec.ca ? { ca: spec.ca } : {}), ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}), ...(req.headers ? { headers: req.headers } : {}) });
      } catch (err) {
        return transportResult(err, spec.secrets);
      }
      const s = answer.status;
      const result = s === 429 || s === 408 || s >= 500 ? statusResult(answer, spec.what, spec.backoffMs)! : spec.answer(jsonOf(answer.body), answer);
      return cleaned(result, spec.secrets);
    },
  };
}

/** A reason is shown to people and stored in the outbox: no secret in it, whatever the far end echoed. */
function cleaned(result: DeliveryResult, secrets: readonly string[]): DeliveryResult {
  if (result.outcome === 'sent') return result.detail === undefined ? result : { ...result, detail: redact(result.detail, secrets) };
  return { ...result, reason: redact(result.reason, secrets) };
}

/**
 * A robot's `{ errcode, errmsg }` (WeCom, DingTalk) or `{ code, msg }` (Feishu): 0 is sent; the
 * vendor's rate-limit codes retry after `backoffMs`; its busy codes retry soon; every other code is
 * a configuration the robot refuses (dead). A non-JSON answer is judged by its HTTP status.
 */
export function vendorVerdict(
  json: Record<string, unknown> | undefined,
  answer: HttpAnswer,
  vendor: { what: string; codeField: string; messageField: string; rateLimited: readonly number[]; busy: readonly number[]; backoffMs: number; meaning: Record<number, string> },
): DeliveryResult {
  const code = json?.[vendor.codeField];
  if (typeof code !== 'number') {
    const byStatus = statusResult(answer, vendor.what, vendor.backoffMs);
    return byStatus ?? { outcome: 'dead', reason: `${vendor.what} answered HTTP ${answer.status} without a result code: ${short(answer.body) || '(empty)'}` };
  }
  const said = `${vendor.what} errcode ${code}${typeof json?.[vendor.messageField] === 'string' ? ` ${short(json[vendor.messageField] as string)}` : ''}${vendor.meaning[code] ? ` (${vendor.meaning[code]})` : ''}`;
  if (code === 0) return { outcome: 'sent', detail: said };
  if (vendor.rateLimited.includes(code)) return { outcome: 'retry', reason: said, afterMs: vendor.backoffMs };
  if (vendor.busy.includes(code)) return { outcome: 'retry', reason: said, afterMs: 5_000 };
  return { outcome: 'dead', reason: said };
}
