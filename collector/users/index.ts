/** Dashboard users: scrypt passwords, sessions with CSRF tokens, log-in throttle, audit log, CLI. */
export { migration020 } from './migration.js';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './password.js';
export { UsersRepository, AuditLog, USER_ROLES, type UserRole, type UserRow, type AuditEntry } from './repository.js';
export { LoginThrottle, LOGIN_THROTTLE, type ThrottleSettings, type ThrottleStep } from './throttle.js';
export { DatabaseThrottleStore, migration095 } from './throttle-store.js';
export { authenticate, badLogin } from './login.js';
export { collectorKey, migration045 } from './keys.js';
export {
  registerViewer,
  requireViewer,
  maySeeSite,
  assertViewerSite,
  maySeeAddresses,
  redirectToLogin,
  sessionCookieOptions,
  csrfUserInfo,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type Viewer,
} from './viewer.js';
export { createUser } from './create.js';
export { maySeeConfiguration, redactorFor, scrubAddresses, HIDDEN, type Redactor } from './confidential.js';
export { ReportAliases, OPAQUE_REPORT_ID, type ReportIdMap } from './report-aliases.js';
export { registerAudit, type AuditRule } from './audit-hook.js';
export { actorOf, actorSees, assertRole, assertActorSite, auditedChange, type Actor, type ActionContext } from './actor.js';
