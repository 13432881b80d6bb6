/*
 * The contract between the channels and the sender (collector/notify): the sender hands a channel
 * one OutgoingMessage and gets back what to do with it. Agreed with the `notify` branch; change
 * it only together.
 */

export interface OutgoingMessage {
  /** The outbox id: the idempotency key (e-mail Message-ID, webhook X-Xunjian-Delivery). */
  id: string;
  lang: 'zh' | 'en';
  title: string;
  /** Short markdown-ish body lines. */
  lines: string[];
  link?: string;
  priority?: 'P1' | 'P2' | 'P3' | 'P4';
  /** E-mail addresses, for the email channel. */
  to?: string[];
}

/**
 * sent: the far end accepted it. retry: try again later (rate limited, 5xx, timeout, refused),
 * not before `afterMs` when the far end said so. dead: it will never go through as configured
 * (bad signature, bad token, a 4xx that will not change) — a dead letter for a person to look at.
 */
export type DeliveryResult = { outcome: 'sent'; detail?: string } | { outcome: 'retry'; reason: string; afterMs?: number } | { outcome: 'dead'; reason: string };

export interface Channel {
  readonly name: string;
  readonly kind: 'email' | 'webhook' | 'wecom' | 'dingtalk' | 'feishu';
  send(message: OutgoingMessage): Promise<DeliveryResult>;
  /** The vendor's limit for one robot (WeCom, DingTalk: 20 a minute; Feishu: 100 a minute): the sender keeps under it. */
  readonly perMinute?: number;
  /** The least time between two sends on this channel (Feishu: 5 a second). */
  readonly minIntervalMs?: number;
  /** Lets go of what the channel keeps open between sends (e-mail's SMTP pool). */
  close?(): void;
}

export interface ChannelDirectory {
  get(name: string): Promise<Channel | undefined>;
  list(): Promise<string[]>;
  /** Closes every channel it built (the collector stopping, a CLI command done). */
  close?(): void;
}
