import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CollectorConfig, ValidationError, type Lang } from '../schemas/index.js';
import { registerAuth, type RouteAuth } from './auth.js';
import { ApiError } from './errors.js';
import { parseJsonBody } from './json-body.js';
import type { IngestHooks } from './ingest/hooks.js';
import { createBatchedIngest } from './ingest/ingest.js';
import { coreMetrics, MetricsRegistry, type CoreMetrics } from './metrics.js';
import { createRepositories, type Repositories } from './repositories/index.js';
import { dashboardRoutes } from './web/index.js';
import { devicesRoutes } from './routes/api/v1/devices.js';
import { heartbeatRoutes } from './routes/api/v1/heartbeat.js';
import { reportsRoutes } from './routes/api/v1/reports.js';
import { sitesRoutes } from './routes/api/v1/sites.js';
import { healthRoutes } from './routes/health.js';
import { metricsRoutes } from './routes/metrics.js';
import type { Db } from './storage/db.js';
import type { Store } from './storage/store.js';
import { sqliteStore } from './storage/sqlite-store.js';
import { typeboxValidatorCompiler, type TypeBoxProvider } from './type-provider.js';
import { inspectionsRoutes } from './inspections/index.js';
import { maintenanceRoutes } from './maintenance/index.js';
import { TicketsIngestHook, ticketsRoutes } from './tickets/index.js';
import { bmcTargetRoutes, pollerRoutes } from './poller/index.js';
import { syslogRoutes } from './syslog/index.js';
import { SERVICES } from './services.js';
import { redactorFor, ReportAliases, type Redactor, type ReportIdMap } from './users/index.js';
import { tokenRoutes } from './identity/index.js';
import { equipmentRoutes } from './equipment/index.js';
import { channelRoutes } from './notify/channels/index.js';
import { notifyRoutes, type ChannelDirectory } from './notify/index.js';
import { readBranding, withBranding, type Branding } from './branding.js';
import { langOf } from './web/i18n.js';
import { errorPage, wantsPage } from './web/pages/error-page.js';

/** What a hook factory gets to build its IngestHooks (its own repositories over the same db). */
export interface HookContext {
  db: Db;
  /** The storage both engines serve (collector/storage/store.ts); new code uses this, not db. */
  store: Store;
  repos: Repositories;
  config: CollectorConfig;
}

/* ================================================================================================
 * THE ROUTE LIST — every route plugin of the collector, registered in this order.
 * Add yours here (tickets, inspections, maintenance…). A plugin sees app.db, app.repos,
 * app.metrics, app.config and declares access with `config: { auth: { roles: [...] } }`.
 * ============================================================================================== */
const ROUTES: FastifyPluginAsync[] = [
  healthRoutes,
  metricsRoutes,
  reportsRoutes,
  heartbeatRoutes,
  sitesRoutes,
  devicesRoutes,
  equipmentRoutes,
  tokenRoutes,
  // --- tickets, inspections, maintenance routes go here ---
  ticketsRoutes,
  maintenanceRoutes,
  inspectionsRoutes,
  // --- SNMP and BMC targets (their pollers and the syslog receiver are services: services.ts) ---
  pollerRoutes,
  bmcTargetRoutes,
  syslogRoutes,
  // --- notification channels (collector/notify/channels) ---
  channelRoutes,
  // --- notifications: a site's settings API (the outbox's schedule is the notify service) ---
  notifyRoutes,
  // --- dashboard: pages, log-in, reports (collector/web) ---
  dashboardRoutes,
];

/* ================================================================================================
 * THE INGEST HOOK LIST — called inside the ingest transaction (see ingest/hooks.ts).
 * ============================================================================================== */
const HOOK_FACTORIES: ((ctx: HookContext) => IngestHooks)[] = [
  // --- e.g. (ctx) => new TicketsIngestHook(ctx.db) ---
  (ctx) => new TicketsIngestHook(ctx.store, ctx.repos),
];

/** One registered route, as the route list test and the OpenAPI check enumerate them. */
export interface RouteEntry {
  method: string;
  url: string;
  /** The route's access rule (`config.auth`); absent: public or the dashboard's own viewer check. */
  auth?: RouteAuth | false;
  /** The route's body schema (TypeBox), if it declares one. */
  body?: TSchema;
}

export interface AppOptions {
  db: Db;
  /** The store over db (SQLite) or PostgreSQL; default: the store of db. */
  store?: Store;
  /** Defaults filled for whatever is missing. */
  config?: Partial<CollectorConfig>;
  /** Extra hooks besides HOOK_FACTORIES (tests). */
  hooks?: IngestHooks[];
  /** Language of stored result wording. */
  lang?: Lang;
  /** false (tests), or pino options; default: level from config with secrets redacted. */
  logger?: FastifyServerOptions['logger'];
  /** TLS certificate and key (PEM); the server then speaks HTTPS only. */
  https?: { cert: Buffer; key: Buffer };
  /** Fixed clock for tests. */
  now?: () => Date;
  /** The channels notifications go out through (collector/notify); tests pass their own. */
  notifyChannels?: ChannelDirectory;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    /** The service company's name and logo (config.branding), read at start (collector/branding.ts). */
    branding: Branding;
    /** The storage layer over SQLite or PostgreSQL (collector/storage/store.ts). */
    store: Store;
    repos: Repositories;
    metrics: MetricsRegistry;
    coreMetrics: CoreMetrics;
    config: CollectorConfig;
    /** Evaluate and store one report; resolves after its transaction committed. */
    ingest: ReturnType<typeof createBatchedIngest>;
    clock: () => Date;
    /** Every route registered, in order (the HEAD twins fastify adds for GETs left out). */
    routeTable: readonly RouteEntry[];
    /** What a role may see (users/confidential.ts), with this collector's report id aliases. */
    redactorFor(role: string): Redactor;
    /** Report ids as customers see them, and back (users/report-aliases.ts). */
    reportIds: ReportIdMap;
  }
}

/** Paths whose values never reach the log. */
export const REDACT = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  '*.token',
  'community',
  '*.community',
  '*.*.community',
  'password',
  '*.password',
  // SNMP v3 keys (collector/poller)
  'authKey',
  '*.authKey',
  'privKey',
  '*.privKey',
  // notification channel secrets (collector/notify/channels)
  'secrets',
  '*.secrets',
];

const FASTIFY_CODES: Record<string, string> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad_content_length',
  FST_CSRF_MISSING_SECRET: 'csrf',
  FST_CSRF_INVALID_TOKEN: 'csrf',
};

export function configWithDefaults(partial: Partial<CollectorConfig> = {}): CollectorConfig {
  return Value.Default(CollectorConfig, Value.Clone(partial)) as CollectorConfig;
}

/** Builds the collector's fastify app over an open database (listening is server.ts's job). */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const config = configWithDefaults(options.config);
  const serverOptions: FastifyServerOptions & { https?: { cert: Buffer; key: Buffer } } = {
    logger: options.logger ?? { level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } },
    bodyLimit: config.bodyLimit,
    // request.ip and request.protocol (Secure cookies, the log-in throttle) from a trusted proxy's headers.
    trustProxy: config.trustProxy as FastifyServerOptions['trustProxy'],
    ...(options.https ? { https: options.https } : {}),
  };
  const app = Fastify(serverOptions as FastifyServerOptions).withTypeProvider<TypeBoxProvider>();

  app.setValidatorCompiler(typeboxValidatorCompiler);
  // Only JSON bodies: anything else is a 415, not a string that fails validation.
  app.removeContentTypeParser('text/plain');
  // Bodies are read as sent: a compressed one would otherwise reach the parser as "not UTF-8".
  // preParsing: after authentication (onRequest), before the body is read.
  app.addHook('preParsing', async (request) => {
    const encoding = request.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      throw new ApiError(415, 'unsupported_media_type', `content-encoding ${encoding} is not supported: send the body uncompressed`);
    }
  });
  // Our own JSON parser: strict UTF-8 and bounded nesting, each refused with a 400 naming why.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (err) {
      done(err as Error, undefined);
    }
  });

  const store = options.store ?? sqliteStore(options.db);
  const repos = createRepositories(store);
  const metrics = new MetricsRegistry();
  const core = coreMetrics(metrics);
  const hookContext: HookContext = { db: options.db, store, repos, config };
  const hooks = [...HOOK_FACTORIES.map((f) => f(hookContext)), ...(options.hooks ?? [])];
  app.decorate('db', options.db);
  app.decorate('store', store);
  app.decorate('repos', repos);
  app.decorate('metrics', metrics);
  app.decorate('coreMetrics', core);
  app.decorate('config', config);
  const branding = readBranding(config);
  app.decorate('branding', branding);
  // Every page frame and report of this request carries this collector's branding (brandingNow()).
  app.addHook('onRequest', (_request, _reply, done) => withBranding(branding, done));
  app.decorate('clock', options.now ?? (() => new Date()));
  if (options.notifyChannels) app.decorate('notifyDirectory', options.notifyChannels);
  const reportIds = new ReportAliases(store, (err) => app.log.warn({ err }, 'a report alias was not written down'));
  app.addHook('onReady', () => reportIds.load());
  app.decorate('reportIds', reportIds);
  app.decorate('redactorFor', (role: string) => redactorFor(role, reportIds));
  app.decorate('ingest', createBatchedIngest(store, repos, { hooks, lang: options.lang ?? 'zh' }));

  app.setErrorHandler((error: FastifyError | ApiError | ValidationError | Error, request, reply) => {
    let status: number;
    let body: { error: string; message: string; issues?: unknown };
    if (error instanceof ValidationError) {
      status = 400;
      body = { error: 'validation', message: error.message, issues: error.issues };
    } else if (error instanceof ApiError) {
      status = error.statusCode;
      body = { error: error.code, message: error.message };
    } else {
      const fe = error as FastifyError;
      const s = fe.statusCode ?? 500;
      if (s >= 400 && s < 500) {
        status = s;
        body = { error: FASTIFY_CODES[fe.code] ?? (fe.code ?? 'bad_request').toLowerCase(), message: fe.message };
      } else {
        status = 500;
        body = { error: 'internal', message: 'internal error; the request was not applied' };
        request.log.error({ err: error }, 'request failed');
      }
    }
    if (request.method === 'POST' && request.url.startsWith('/api/v1/reports')) {
      core.reportsRejected.inc({ reason: body.error });
    }
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    // A browser that followed a dead link reads a page in its language; the API answers JSON.
    if (wantsPage(request.url, request.headers.accept)) return reply.status(404).type('text/html; charset=utf-8').send(errorPage(langOf(request), 404, null, null).markup);
    return reply.status(404).send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` });
  });

  registerAuth(app, repos.tokens);
  // Every answer may carry site data (API, pages, reports, and errors naming a site): no browser
  // or proxy keeps a copy. A route whose answer is public and fixed (the dashboard's stylesheet and
  // script) sets its own Cache-Control.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // Recorded before any route plugin registers, so every route (children included) is listed:
  // tests derive "every write route refuses bad bodies" and "every API route is documented" from it.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue; // the automatic twin of a GET
      routeTable.push({ method, url: route.url, auth: route.config?.auth, ...(route.schema?.body ? { body: route.schema.body as TSchema } : {}) });
    }
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Xunjian collector', version: '1', description: 'Ingest, equipment records and check results (SXKR-001…006).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  for (const service of SERVICES) await app.register(service);
  for (const routes of ROUTES) await app.register(routes);
  return app;
}
