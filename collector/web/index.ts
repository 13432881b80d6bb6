import { readFileSync } from 'node:fs';
import type { FastifyPluginAsync } from 'fastify';
import { AuditLog, LoginLimiter, registerViewer, UsersRepository } from '../users/index.js';
import { authRoutes } from './auth-routes.js';
import { pageRoutes } from './pages/routes.js';

const STATIC: Record<string, { type: string; body: string }> = {
  'app.css': { type: 'text/css; charset=utf-8', body: readFileSync(new URL('./static/app.css', import.meta.url), 'utf8') },
  'app.js': { type: 'text/javascript; charset=utf-8', body: readFileSync(new URL('./static/app.js', import.meta.url), 'utf8') },
};

/**
 * The dashboard: log-in and sessions, the server-rendered pages, and the reports API. One plugin
 * so that its session hook, CSRF check and form parser apply to its own routes only; the rest of
 * the API keeps bearer tokens.
 */
export const dashboardRoutes: FastifyPluginAsync = async (app) => {
  const users = new UsersRepository(app.db);
  const audit = new AuditLog(app.db);
  const limiter = new LoginLimiter();

  // HTML forms post application/x-www-form-urlencoded; repeated fields become arrays.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 1_000_000 }, (_req, body, done) => {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(body as string)) {
      const prev = out[k];
      out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    done(null, out);
  });
  registerViewer(app, users, new Set(['/login']));
  // Pages load only their own stylesheet and script, and cannot be framed (a framed sign-off
  // button could be clicked by a victim unawares).
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (type.startsWith('text/html') && !reply.hasHeader('content-security-policy')) {
      reply.header('content-security-policy', "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'");
    }
    reply.header('x-frame-options', 'DENY');
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    return payload;
  });

  app.get('/static/:file', async (request, reply) => {
    const file = STATIC[(request.params as { file: string }).file];
    if (!file) return reply.status(404).send({ error: 'not_found', message: 'no such file' });
    return reply.type(file.type).header('cache-control', 'public, max-age=300').send(file.body);
  });

  await app.register(authRoutes(users, audit, limiter));
  await app.register(pageRoutes(audit));
};

export { langOf, t } from './i18n.js';
