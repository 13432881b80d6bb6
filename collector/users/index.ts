/** Dashboard users: scrypt passwords, sessions with CSRF tokens, log-in rate limit, audit log, CLI. */
export { migration020 } from './migration.js';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './password.js';
export { UsersRepository, AuditLog, USER_ROLES, type UserRole, type UserRow, type AuditEntry } from './repository.js';
export { LoginLimiter } from './limiter.js';
export { authenticate, badLogin } from './login.js';
export {
  registerViewer,
  requireViewer,
  maySeeSite,
  assertViewerSite,
  maySeeAddresses,
  redirectToLogin,
  sessionCookie,
  parseCookies,
  SESSION_COOKIE,
  SESSION_TTL_MS,
  type Viewer,
} from './viewer.js';
export { createUser } from './create.js';
export { maySeeConfiguration, redactorFor, scrubAddresses, HIDDEN, type Redactor } from './confidential.js';
export { ReportAliases, OPAQUE_REPORT_ID, type ReportIdMap } from './report-aliases.js';
export { registerAudit, type AuditRule } from './audit-hook.js';
