import { randomUUID } from 'node:crypto';
import { DEFAULT_TIME_ZONE } from '../../../checks/index.js';
import { formatTime } from '../../reports/index.js';
import type { OutgoingMessage } from './types.js';
import type { Lang } from '../../../schemas/index.js';

const TEST_TITLE: Record<Lang, (channel: string) => string> = { zh: (c) => `巡检通知渠道测试:${c}`, en: (c) => `Xunjian channel test: ${c}` };
const TEST_LINES: Record<Lang, (when: string) => string[]> = {
  zh: (when) => ['这是一条测试消息:收到即说明该通知渠道配置正确。', `发送时间:${when}`],
  en: (when) => ['This is a test message: if you read it, the channel works.', `Sent at ${when}`],
};

/** The message "send test" sends: says which channel, when, and links to the dashboard when known. */
export function testMessage(channel: string, lang: Lang, at: Date, options: { link?: string; to?: string[]; zone?: string } = {}): OutgoingMessage {
  // A company channel has no site: its times are in the default zone.
  const when = formatTime(at.getTime(), options.zone ?? DEFAULT_TIME_ZONE);
  return {
    id: `test-${randomUUID()}`,
    lang,
    title: TEST_TITLE[lang](channel),
    lines: TEST_LINES[lang](when),
    ...(options.link ? { link: options.link } : {}),
    ...(options.to?.length ? { to: options.to } : {}),
  };
}
