import { createHmac } from 'node:crypto';
import { subjectOf, wordsFor } from './render.js';
import { httpChannel, vendorVerdict } from './robot.js';
import type { Channel, OutgoingMessage } from './types.js';

/*
 * Feishu / Lark (飞书) custom bot — 自定义机器人使用指南, open.feishu.cn/document/client-docs/bot-v3/add-custom-bot:
 * POST https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN with a message card
 * `{"msg_type":"interactive","card":{header,elements}}`. 签名校验: the key is
 * timestamp (seconds) + "\n" + secret, HmacSHA256 over an EMPTY message, Base64; sent in the body as
 * `"timestamp"` and `"sign"`; the timestamp must be within an hour. Answer `{"code":0,"msg":"success"}`;
 * 19021 sign match fail (or timestamp out of range), 19022 IP not allowed, 19024 keywords missing,
 * 9499 bad request (the body's shape), 11232 frequency limited. A bot may send 100 messages a minute
 * and 5 a second.
 */

export const FEISHU_PER_MINUTE = 100;
export const FEISHU_MIN_INTERVAL_MS = 200;

export function feishuSign(secret: string, timestampS: number): string {
  return createHmac('sha256', `${timestampS}\n${secret}`).update('').digest('base64');
}

const TEMPLATE: Record<NonNullable<OutgoingMessage['priority']>, string> = { P1: 'red', P2: 'orange', P3: 'yellow', P4: 'blue' };

export function feishuCard(m: OutgoingMessage): Record<string, unknown> {
  const elements: unknown[] = [{ tag: 'div', text: { tag: 'lark_md', content: m.lines.join('\n') } }];
  if (m.link) elements.push({ tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: wordsFor(m.lang).open }, type: 'primary', url: m.link }] });
  return {
    config: { wide_screen_mode: true },
    header: { title: { tag: 'plain_text', content: subjectOf(m) }, template: TEMPLATE[m.priority ?? 'P4'] },
    elements,
  };
}

export function feishuChannel(name: string, settings: { ca?: string; timeoutMs?: number }, secrets: { url: string; secret?: string }, now: () => number = Date.now): Channel {
  const url = new URL(secrets.url);
  const what = `Feishu bot at ${url.host}`;
  return httpChannel({
    name,
    kind: 'feishu',
    what,
    ...(settings.ca ? { ca: settings.ca } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    secrets: [secrets.url, url.pathname.split('/').pop() ?? '', secrets.secret ?? ''],
    perMinute: FEISHU_PER_MINUTE,
    minIntervalMs: FEISHU_MIN_INTERVAL_MS,
    backoffMs: 60_000,
    request: (m) => {
      const signed = secrets.secret ? (() => { const ts = Math.floor(now() / 1000); return { timestamp: String(ts), sign: feishuSign(secrets.secret!, ts) }; })() : {};
      return { url, body: JSON.stringify({ ...signed, msg_type: 'interactive', card: feishuCard(m) }) };
    },
    answer: (json, answer) =>
      vendorVerdict(json && typeof json.code !== 'number' && typeof json.StatusCode === 'number' ? { code: json.StatusCode, msg: json.StatusMessage } : json, answer, {
        what,
        codeField: 'code',
        messageField: 'msg',
        rateLimited: [11232],
        busy: [],
        backoffMs: 60_000,
        meaning: { 19021: 'signature refused: check the secret (or the clock)', 19022: 'IP address not allowed', 19024: 'keywords missing', 9499: 'bad request', 11232: 'frequency limited' },
      }),
  });
}
