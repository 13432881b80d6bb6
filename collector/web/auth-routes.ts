import type { FastifyPluginAsync } from 'fastify';
import { LoginBody } from '../../schemas/user.js';
import { reportRoutes } from '../reports/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { AuditLog, authenticate, csrfUserInfo, requireViewer, SESSION_COOKIE, SESSION_TTL_MS, sessionCookieOptions, type LoginThrottle, type UsersRepository } from '../users/index.js';
import { ApiError } from '../errors.js';
import { loginPage } from './pages/login.js';
import { langOf, t } from './i18n.js';
import type { Lang } from '../../schemas/index.js';

/** A `next` that stays on this collector (no open redirect). */

/** A refused log-in in the page's language (the API's JSON keeps its English message). */
function loginRefusal(lang: Lang, err: ApiError): string {
  if (err.code === 'too_many_attempts') return t(lang, 'tooManyAttempts').replace('{s}', String((err as ApiError & { retryAfter?: number }).retryAfter ?? ''));
  if (err.code === 'bad_login') return t(lang, 'badLogin');
  return err.message;
}

export const safeNext = (next: string | undefined): string => (next && /^\/(?!\/)[!-[\]-~]*$/.test(next) ? next : '/');

/** Log-in, log-out and "who am I" (JSON for scripts, forms for the browser). */
export function authRoutes(users: UsersRepository, audit: AuditLog, throttle: LoginThrottle): FastifyPluginAsync {
  return async (plain) => {
    const app = plain.withTypeProvider<TypeBoxProvider>();

    app.get('/login', async (request, reply) => {
      // `?next=a&next=b` arrives as an array: only a single string is a place to go back to.
      const next = (request.query as { next?: unknown }).next;
      return reply
        .type('text/html; charset=utf-8')
        .send(loginPage(langOf(request), { next: typeof next === 'string' ? next : undefined, csrf: reply.generateCsrf({ userInfo: csrfUserInfo(request) }) }).markup);
    });

    app.post('/login', { schema: { tags: ['dashboard'], summary: 'Log in (form with its CSRF token, or JSON); sets the session cookie', body: LoginBody } }, async (request, reply) => {
      const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') ?? false;
      const { name, password, next } = request.body;
      try {
        const user = await authenticate(users, throttle, request, name, password);
        const { cookie, csrf } = await users.openSession(user.id, SESSION_TTL_MS);
        await audit.record({ at: app.clock().getTime(), actor: user.name, role: user.role, action: 'login', detail: request.ip });
        reply.setCookie(SESSION_COOKIE, cookie, sessionCookieOptions(SESSION_TTL_MS / 1000));
        if (form) return reply.redirect(safeNext(next), 303);
        return { name: user.name, role: user.role, sites: user.sites, csrf: reply.generateCsrf({ userInfo: csrf }) };
      } catch (err) {
        if ('retryAfter' in (err as object)) reply.header('retry-after', String((err as { retryAfter: number }).retryAfter));
        if (!form || !(err instanceof ApiError)) throw err;
        const lang = langOf(request);
        return reply
          .status(err.statusCode)
          .type('text/html; charset=utf-8')
          .send(loginPage(lang, { next, error: loginRefusal(lang, err), name, csrf: reply.generateCsrf({ userInfo: csrfUserInfo(request) }) }).markup);
      }
    });

    app.post('/logout', async (request, reply) => {
      const cookie = request.cookies[SESSION_COOKIE];
      if (cookie) await users.closeSession(cookie);
      reply.setCookie(SESSION_COOKIE, '', sessionCookieOptions(0));
      return reply.redirect('/login', 303);
    });

    app.get('/api/v1/me', { schema: { tags: ['dashboard'], summary: 'The logged-in user or token holder' } }, async (request) => {
      const v = requireViewer(request);
      return { name: v.name, role: v.role, sites: v.sites, via: v.via, csrf: v.csrf };
    });

    await app.register(reportRoutes);
  };
}
