import { fitBytes, markdownOf } from './render.js';
import { httpChannel, vendorVerdict } from './robot.js';
import type { Channel } from './types.js';

/*
 * WeCom (企业微信) group robot — 群机器人配置说明, developer.work.weixin.qq.com/document/path/91770:
 * POST the webhook URL (…/cgi-bin/webhook/send?key=KEY) with
 * `{"msgtype":"markdown","markdown":{"content":"…"}}` (content at most 4096 bytes, UTF-8);
 * the answer is `{"errcode":0,"errmsg":"ok"}`. Each robot may send at most 20 messages a minute;
 * over that it answers errcode 45009 (api freq out of limit). 93000: the key is invalid (the robot
 * was removed); -1: system busy. Global error codes: developer.work.weixin.qq.com/document/path/90313.
 */

export const WECOM_PER_MINUTE = 20;
export const WECOM_MAX_MARKDOWN_BYTES = 4096;

export function wecomChannel(name: string, settings: { ca?: string; timeoutMs?: number }, secrets: { url: string }): Channel {
  const url = new URL(secrets.url);
  const what = `WeCom robot at ${url.host}`;
  const key = url.searchParams.get('key') ?? '';
  return httpChannel({
    name,
    kind: 'wecom',
    what,
    ...(settings.ca ? { ca: settings.ca } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    secrets: [secrets.url, key],
    perMinute: WECOM_PER_MINUTE,
    minIntervalMs: 60_000 / WECOM_PER_MINUTE,
    backoffMs: 60_000,
    request: (m) => ({ url, body: JSON.stringify({ msgtype: 'markdown', markdown: { content: fitBytes(markdownOf(m), WECOM_MAX_MARKDOWN_BYTES) } }) }),
    answer: (json, answer) =>
      vendorVerdict(json, answer, {
        what,
        codeField: 'errcode',
        messageField: 'errmsg',
        rateLimited: [45009],
        busy: [-1],
        backoffMs: 60_000,
        meaning: { 45009: 'over 20 messages a minute', 93000: 'invalid webhook key: the robot was removed or the URL is wrong', 40008: 'invalid message type', 44004: 'empty content' },
      }),
  });
}
