import type { FastifyPluginAsync } from 'fastify';
import { LoginBody } from '../../schemas/user.js';
import { reportRoutes } from '../reports/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { AuditLog, authenticate, LoginLimiter, requireViewer, SESSION_COOKIE, SESSION_TTL_MS, parseCookies, sessionCookie, type UsersRepository } from '../users/index.js';
import { ApiError } from '../errors.js';
import { loginPage } from './pages/login.js';
import { langOf } from './i18n.js';

/** A `next` that stays on this collector (no open redirect). */
export const safeNext = (next: string | undefined): string => (next && /^\/(?!\/)[!-[\]-~]*$/.test(next) ? next : '/');

/** Log-in, log-out and "who am I" (JSON for scripts, forms for the browser). */
export function authRoutes(users: UsersRepository, audit: AuditLog, limiter: LoginLimiter): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxProvider>();
    const secure = Boolean(app.config.tls);

    app.get('/login', async (request, reply) => {
      // `?next=a&next=b` arrives as an array: only a single string is a place to go back to.
      const next = (request.query as { next?: unknown }).next;
      return reply.type('text/html; charset=utf-8').send(loginPage(langOf(request), { next: typeof next === 'string' ? next : undefined }));
    });

    app.post('/login', { schema: { tags: ['dashboard'], summary: 'Log in (form or JSON); sets the session cookie', body: LoginBody } }, async (request, reply) => {
      const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ?? false;
      const { name, password, next } = request.body;
      try {
        const user = await authenticate(users, limiter, name, password, request.ip);
        const { cookie, csrf } = users.openSession(user.id, SESSION_TTL_MS);
        audit.record({ at: app.clock().getTime(), actor: user.name, role: user.role, action: 'login', detail: request.ip });
        reply.header('set-cookie', sessionCookie(cookie, secure, SESSION_TTL_MS / 1000));
        if (form) return reply.redirect(safeNext(next), 303);
        return { name: user.name, role: user.role, sites: user.sites, csrf };
      } catch (err) {
        if (!form || !(err instanceof ApiError)) throw err;
        if ('retryAfter' in err) reply.header('retry-after', String((err as { retryAfter: number }).retryAfter));
        return reply
          .status(err.statusCode)
          .type('text/html; charset=utf-8')
          .send(loginPage(langOf(request), { next, error: err.message, name }));
      }
    });

    app.post('/logout', async (request, reply) => {
      const cookie = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
      if (cookie) users.closeSession(cookie);
      reply.header('set-cookie', sessionCookie('', secure, 0));
      return reply.redirect('/login', 303);
    });

    app.get('/api/v1/me', { schema: { tags: ['dashboard'], summary: 'The logged-in user or token holder' } }, async (request) => {
      const v = requireViewer(request);
      return { name: v.name, role: v.role, sites: v.sites, via: v.via, csrf: v.csrf };
    });

    await app.register(reportRoutes);
  };
}
