export { Sender, type DeliveryState, type SenderOptions } from './sender.js';
export { backoffDelay } from './backoff.js';
export { postJson, answerMessage, closeConnections, NetworkError, type CollectorAnswer } from './http.js';
export { CollectorList } from './collectors.js';
