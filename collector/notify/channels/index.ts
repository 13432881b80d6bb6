/**
 * Notification channels: e-mail (SMTP), a signed generic webhook, and the WeCom, DingTalk and
 * Feishu group robots. The sender (collector/notify) is given a ChannelDirectory and calls
 * `send`; everything else here is management (API, page, CLI) and the vendors' wire formats.
 */
export type { Channel, ChannelDirectory, DeliveryResult, OutgoingMessage } from './types.js';
export { channelDirectory, channelDirectoryFor } from './directory.js';
export { ChannelsRepository } from './repository.js';
export { ChannelActions, sendTest } from './actions.js';
export { channelRoutes } from './routes.js';
export { notifyChannelsService } from './service.js';
export { channelBox, CHANNEL_KEY_HELP } from './secrets.js';
export { buildChannel, KIND_LIMITS, type ChannelConfig } from './kinds.js';
export { migration086 } from './migration.js';
export { testMessage } from './test-message.js';
export { webhookSignature, webhookBody, WEBHOOK_TOLERANCE_S, type WebhookBody } from './webhook.js';
export { dingtalkSign } from './dingtalk.js';
export { feishuSign } from './feishu.js';
export { messageIdOf } from './email.js';
export { testChannelFromCli, describeTest } from './cli.js';
