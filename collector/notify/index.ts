/** Notifications (collector/notify): what is sent, to whom, through the durable outbox. See README.md. */
export { migration080 } from './migration.js';
export { notifyPlugin, notifyService, NO_CHANNELS, type NotifyRound } from './plugin.js';
export { notifyRoutes } from './routes.js';
export { NotifyActions, NOTIFY_ROLES } from './actions.js';
export { NotifyRepository, type OutboxRow } from './repository.js';
export { renderMessage, type MessageFacts } from './catalogue.js';
export { onDuty, type RotaRow } from './rota.js';
export { releaseAt, URGENT } from './quiet.js';
export type { Channel, ChannelDirectory, DeliveryResult, OutgoingMessage } from './channels/types.js';
