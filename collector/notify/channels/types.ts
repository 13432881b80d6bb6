export interface OutgoingMessage { id: string /* outbox id, idempotency key */; lang: 'zh' | 'en'; title: string; /* short markdown-ish body lines */ lines: string[]; link?: string; priority?: 'P1' | 'P2' | 'P3' | 'P4'; to?: string[] /* e-mail addresses, for the email channel */ }
export type DeliveryResult = { outcome: 'sent'; detail?: string } | { outcome: 'retry'; reason: string; afterMs?: number } | { outcome: 'dead'; reason: string };
export interface Channel { readonly name: string; readonly kind: 'email' | 'webhook' | 'wecom' | 'dingtalk' | 'feishu'; send(message: OutgoingMessage): Promise<DeliveryResult> }
export interface ChannelDirectory { get(name: string): Channel | undefined; list(): string[] }
