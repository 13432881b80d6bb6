/**
 * The collector core's public surface: build or start the server, open its database, the
 * ingest hook interface, repositories, auth helpers and API errors for route plugins.
 */
export { buildApp, configWithDefaults, REDACT, type AppOptions, type HookContext } from './app.js';
export { startCollector, dbPathOf, type RunningCollector } from './server.js';
export { loadCollectorConfig, ENVIRONMENT, type CollectorFlags } from './config.js';
export { openDatabase, migrate, checkMigrationList, integrityCheck, backupDatabase, schemaVersion, type Db, type Durability } from './storage/db.js';
export { MIGRATIONS, type Migration } from './storage/migrations/index.js';
export type { IngestHooks } from './ingest/hooks.js';
export * from './repositories/index.js';
export { assertSite, principalOf, READERS, EDITORS, REPORTERS, type Principal, type RouteAuth } from './auth.js';
export { ApiError, badRequest, conflict, forbidden, notFound, unauthorized } from './errors.js';
export { MetricsRegistry, type GaugeReading } from './metrics.js';
export type { TypeBoxProvider } from './type-provider.js';
export { toCsv } from './routes/csv.js';
export { firstBindableSyslogPort, syslogNotice } from './syslog/index.js';
export { createUser, UsersRepository, USER_ROLES, type UserRole } from './users/index.js';
export { auditCli, bindTokenAudited, changeDetail, createTokenAudited, revokeTokenAudited } from './identity/index.js';
