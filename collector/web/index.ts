import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { AuditLog, collectorKey, csrfUserInfo, DatabaseThrottleStore, LoginThrottle, registerViewer } from '../users/index.js';
import { ValidationError } from '../../schemas/index.js';
import { ApiError } from '../errors.js';
import { authRoutes } from './auth-routes.js';
import { langOf } from './i18n.js';
import { errorPage, wantsPage } from './pages/error-page.js';
import { pageRoutes } from './pages/routes.js';

/**
 * The dashboard: log-in and sessions, the server-rendered pages, and the reports API. One plugin
 * so that its session hook, CSRF check, security headers and form parser apply to its own routes
 * only; the rest of the API keeps bearer tokens. The plumbing is the fastify ecosystem's:
 * @fastify/cookie, @fastify/csrf-protection, @fastify/rate-limit (the log-in throttle),
 * @fastify/helmet and @fastify/static.
 */
export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  const users = app.repos.users;
  const audit = new AuditLog(app.store);

  await app.register(cookie);
  await app.register(csrfProtection, {
    cookieKey: 'xj_csrf',
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto' },
    // Tokens are bound to the session (or to "anonymous" on the log-in form): a token seen by one
    // user is worthless in another's session. The HMAC key is kept in the database across restarts.
    getUserInfo: csrfUserInfo,
    csrfOpts: { hmacKey: (await collectorKey(app.store, 'csrf-hmac')).toString('base64') },
  });
  // Only the log-in throttle uses it (createRateLimit); no route is limited by default. Its counters
  // are in the database, shared by every collector on it and kept across restarts.
  await app.register(rateLimit, { global: false, store: DatabaseThrottleStore.for(app.store) as never });
  // Pages load only their own stylesheet and script, and cannot be framed (a framed sign-off
  // button could be clicked by a victim unawares). Reports set their own, stricter policy.
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    // HSTS only means something over HTTPS; the collector may well be plain HTTP on a LAN.
    strictTransportSecurity: Boolean(app.config.tls) || app.config.trustProxy !== false,
  });
  await app.register(fastifyStatic, {
    root: fileURLToPath(new URL('./static/', import.meta.url)),
    prefix: '/static/',
    decorateReply: false,
    index: false,
    list: false,
    wildcard: false,
    // The stylesheet and script carry no site data and change only with a release.
    cacheControl: true,
    maxAge: 300_000,
  });

  // The configured logo, public (the log-in page shows it) and only ever an image: its own type,
  // nosniff (helmet), and a sandboxing policy so that an SVG opened by itself runs nothing.
  app.get('/branding/logo', async (_request, reply) => {
    const logo = app.branding.logo;
    if (!logo) return reply.status(404).type('text/plain; charset=utf-8').send('no logo is configured');
    return reply
      .type(logo.type)
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .header('cache-control', 'public, max-age=300')
      .send(logo.bytes);
  });

  // HTML forms post application/x-www-form-urlencoded; repeated fields become arrays.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1_000_000 }, (_req, body, done) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(body as string)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    done(null, out);
  });
  registerViewer(app, users, '/login');
  // A page's error is a page in the reader's language (403, 404, 400, 500), not the API's JSON;
  // the API's routes (and a script's fetch, which does not ask for HTML) keep the JSON answer of
  // the app's handler, to which this one passes them on by throwing.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (!wantsPage(request.url, request.headers.accept)) throw error;
    const status = error instanceof ValidationError ? 400 : error instanceof ApiError ? error.statusCode : (error.statusCode ?? 500);
    if (status >= 500) request.log.error({ err: error }, 'page failed');
    return reply.status(status).type('text/html; charset=utf-8').send(errorPage(langOf(request), status, error.message, request.viewer).markup);
  });

  await app.register(authRoutes(users, audit, new LoginThrottle(app)));
  await app.register(pageRoutes(audit));
};

export { langOf, t } from './i18n.js';
