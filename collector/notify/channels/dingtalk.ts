import { createHmac } from 'node:crypto';
import { markdownOf, subjectOf } from './render.js';
import { httpChannel, vendorVerdict } from './robot.js';
import type { Channel } from './types.js';

/*
 * DingTalk (钉钉) custom robot — 自定义机器人接入, open.dingtalk.com/document/robots/custom-robot-access
 * and …/robots/customize-robot-security-settings:
 * POST …/robot/send?access_token=TOKEN with `{"msgtype":"markdown","markdown":{"title","text"}}`.
 * 加签: string to sign = timestamp (ms) + "\n" + secret; HmacSHA256 keyed with the secret; Base64;
 * URL-encoded; sent as `&timestamp=…&sign=…`; the timestamp must be within an hour of DingTalk's clock.
 * Answer `{"errcode":0,"errmsg":"ok"}`. At most 20 messages a minute per robot, else errcode 130101
 * (send too fast) and the robot is held back for 10 minutes; 310000: keywords, IP or signature do not
 * match (sign not match); 300001: the token is invalid; -1: system busy.
 */

export const DINGTALK_PER_MINUTE = 20;
/** "超过20条,会限流10分钟". */
export const DINGTALK_HOLD_MS = 10 * 60_000;

export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

export function dingtalkChannel(name: string, settings: { ca?: string; timeoutMs?: number }, secrets: { url: string; secret?: string }, now: () => number = Date.now): Channel {
  const base = new URL(secrets.url);
  const what = `DingTalk robot at ${base.host}`;
  return httpChannel({
    name,
    kind: 'dingtalk',
    what,
    ...(settings.ca ? { ca: settings.ca } : {}),
    ...(settings.timeoutMs ? { timeoutMs: settings.timeoutMs } : {}),
    secrets: [secrets.url, base.searchParams.get('access_token') ?? '', secrets.secret ?? ''],
    perMinute: DINGTALK_PER_MINUTE,
    minIntervalMs: 60_000 / DINGTALK_PER_MINUTE,
    backoffMs: DINGTALK_HOLD_MS,
    request: (m) => {
      const url = new URL(base);
      if (secrets.secret) {
        const ts = now();
        url.searchParams.set('timestamp', String(ts));
        url.searchParams.set('sign', dingtalkSign(secrets.secret, ts));
      }
      return { url, body: JSON.stringify({ msgtype: 'markdown', markdown: { title: subjectOf(m), text: markdownOf(m) } }) };
    },
    answer: (json, answer) =>
      vendorVerdict(json, answer, {
        what,
        codeField: 'errcode',
        messageField: 'errmsg',
        rateLimited: [130101],
        busy: [-1],
        backoffMs: DINGTALK_HOLD_MS,
        meaning: {
          130101: 'over 20 messages a minute: held back for 10 minutes',
          310000: 'signature, keyword or IP address refused: check the 加签 secret and the robot\'s security settings',
          300001: 'invalid access_token',
          300005: 'token does not exist',
          400013: 'the group was disbanded',
          400101: 'the robot was stopped',
        },
      }),
  });
}
