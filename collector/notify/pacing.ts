import type { Channel } from './channels/types.js';

/**
 * Messages per minute each kind of channel may send, as the vendors impose: a WeCom group robot
 * 20/min, a DingTalk robot 20/min, a Feishu custom bot 100/min (and 5/s); e-mail and a webhook
 * are our own choice, to stay a good citizen of the relay and the receiver.
 */
export const PER_MINUTE: Record<Channel['kind'], number> = { wecom: 20, dingtalk: 20, feishu: 100, email: 120, webhook: 600 };

/**
 * One token bucket per channel, refilled by the app's clock: a burst up to the minute's allowance,
 * then the vendor's pace. `take` answers 0 (send now) or how many ms until a token is free.
 */
export class ChannelPacer {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perMinute: (kind: Channel['kind']) => number = (k) => PER_MINUTE[k]) {}

  take(channel: Pick<Channel, 'name' | 'kind'>, now: number): number {
    const rate = this.perMinute(channel.kind);
    const b = this.buckets.get(channel.name) ?? { tokens: rate, at: now };
    b.tokens = Math.min(rate, b.tokens + (Math.max(0, now - b.at) * rate) / 60_000);
    b.at = now;
    this.buckets.set(channel.name, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) * 60_000) / rate);
  }
}

/** Retry delay after `attempt` failed attempts: 5 s doubling, at most 15 min; a vendor's own hint wins when longer. */
export function backoffMs(attempt: number, hintMs?: number): number {
  const ours = Math.min(15 * 60_000, 5_000 * 2 ** Math.max(0, attempt - 1));
  return Math.max(ours, hintMs ?? 0);
}
