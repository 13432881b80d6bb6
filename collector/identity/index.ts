/** Device identity: an agent token speaks for one device; device output is cleaned of control/bidi characters. */
export { migration040 } from './migration.js';
export { assertSpeaksFor, bindCommand } from './binding.js';
export { cleanDeviceText, STRIPPED_FLAG } from './device-text.js';
export { tokenRoutes } from './routes.js';
export { auditBy, auditCli, bindTokenAudited, changeDetail, cliActor, createTokenAudited, revokeTokenAudited } from './admin.js';
