import { randomUUID } from 'node:crypto';
import { DEFAULT_TIME_ZONE } from '../../../checks/index.js';
import { formatTime } from '../../reports/index.js';
import type { OutgoingMessage } from './types.js';

/** The message "send test" sends: says which channel, when, and links to the dashboard when known. */
export function testMessage(channel: string, lang: 'zh' | 'en', at: Date, options: { link?: string; to?: string[]; zone?: string } = {}): OutgoingMessage {
  // A company channel has no site: its times are in the default zone.
  const when = formatTime(at.getTime(), options.zone ?? DEFAULT_TIME_ZONE);
  return {
    id: `test-${randomUUID()}`,
    lang,
    title: lang === 'zh' ? `巡检通知渠道测试:${channel}` : `Xunjian channel test: ${channel}`,
    lines: lang === 'zh'
      ? ['这是一条测试消息:收到即说明该通知渠道配置正确。', `发送时间:${when}`]
      : ['This is a test message: if you read it, the channel works.', `Sent at ${when}`],
    ...(options.link ? { link: options.link } : {}),
    ...(options.to?.length ? { to: options.to } : {}),
  };
}
