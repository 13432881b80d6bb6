import type { ChannelKind } from '../../../schemas/index.js';
import { dingtalkChannel, DINGTALK_PER_MINUTE } from './dingtalk.js';
import { emailChannel, type EmailSettings } from './email.js';
import { feishuChannel, FEISHU_MIN_INTERVAL_MS, FEISHU_PER_MINUTE } from './feishu.js';
import type { Channel } from './types.js';
import { webhookChannel } from './webhook.js';
import { wecomChannel, WECOM_PER_MINUTE } from './wecom.js';

/** What is stored for a channel, secrets opened. */
export interface ChannelConfig {
  name: string;
  kind: ChannelKind;
  settings: Record<string, unknown>;
  secrets: Record<string, string>;
}

/** Builds the live channel of a stored configuration (already validated against its kind's schema). */
export function buildChannel(c: ChannelConfig): Channel {
  const s = c.settings as { ca?: string; timeoutMs?: number };
  const x = c.secrets;
  switch (c.kind) {
    case 'email':
      return emailChannel(c.name, c.settings as unknown as EmailSettings, x);
    case 'webhook':
      return webhookChannel(c.name, s, { url: x.url!, secret: x.secret! });
    case 'wecom':
      return wecomChannel(c.name, s, { url: x.url! });
    case 'dingtalk':
      return dingtalkChannel(c.name, s, { url: x.url!, ...(x.secret ? { secret: x.secret } : {}) });
    case 'feishu':
      return feishuChannel(c.name, s, { url: x.url!, ...(x.secret ? { secret: x.secret } : {}) });
  }
}

/** The vendor's limits per kind, shown by the API before any channel is built. */
export const KIND_LIMITS: Record<ChannelKind, { perMinute?: number; minIntervalMs?: number }> = {
  email: {},
  webhook: {},
  wecom: { perMinute: WECOM_PER_MINUTE, minIntervalMs: 60_000 / WECOM_PER_MINUTE },
  dingtalk: { perMinute: DINGTALK_PER_MINUTE, minIntervalMs: 60_000 / DINGTALK_PER_MINUTE },
  feishu: { perMinute: FEISHU_PER_MINUTE, minIntervalMs: FEISHU_MIN_INTERVAL_MS },
};

/** Where a channel sends, without the path and query that carry a robot's token. */
export function targetOf(kind: ChannelKind, settings: Record<string, unknown>, secrets: Record<string, string>): string {
  if (kind === 'email') return `${settings.host as string}:${settings.port as number}`;
  try {
    return new URL(secrets.url ?? '').origin;
  } catch {
    return '(no URL)';
  }
}
