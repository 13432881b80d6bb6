import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../errors.js';
import { maySeeConfiguration } from './confidential.js';
import type { UserRole, UsersRepository } from './repository.js';

/**
 * Whoever reads the dashboard or a report: a person logged in with a session cookie, or a
 * script with a bearer token (the collector's tokens; agents are not readers).
 */
export interface Viewer {
  name: string;
  role: UserRole;
  /** null: every site (admins, engineers without assigned sites, global tokens). */
  sites: string[] | null;
  via: 'session' | 'token';
  /** The session's CSRF token; unsafe requests made with the cookie must echo it. */
  csrf: string | null;
  userId: number | null;
  tokenId: number | null;
}

export const SESSION_COOKIE = 'xj_session';
export const SESSION_TTL_MS = 12 * 3600_000;

declare module 'fastify' {
  interface FastifyRequest {
    viewer: Viewer | null;
  }
}

/** The session cookie: HttpOnly, SameSite=Strict, Secure whenever the request came over HTTPS (itself or through a trusted proxy). */
export const sessionCookieOptions = (maxAgeS: number) =>
  ({ path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: maxAgeS }) as const;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const FORM = 'application/x-www-form-urlencoded';
/** What a CSRF token is bound to: the session's own random value, or "anonymous" before log-in. */
const csrfBinding = new WeakMap<FastifyRequest, string>();
export const csrfUserInfo = (request: FastifyRequest): string => csrfBinding.get(request) ?? 'anonymous';

/**
 * Adds `request.viewer` to the routes of the calling plugin: from the bearer token the core
 * auth hook already verified, else from the session cookie (`@fastify/cookie` parses it). Unsafe
 * requests made with a session must carry a CSRF token (header x-csrf-token, or the form field
 * _csrf), and so must the log-in form (`loginForm`): `@fastify/csrf-protection` checks it against
 * the secret in the `xj_csrf` cookie and the session it was made for, which a cross-site form
 * cannot read. The calling plugin registers @fastify/cookie and @fastify/csrf-protection first.
 */
export function registerViewer(app: FastifyInstance, users: UsersRepository, loginForm: string): void {
  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request, reply) => {
    const p = request.principal;
    if (p) {
      if (p.role === 'agent') return;
      request.viewer = { name: p.name, role: p.role, sites: p.site === null ? null : [p.site], via: 'token', csrf: null, userId: null, tokenId: p.tokenId };
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const s = await users.session(cookie);
    if (!s) return;
    const u = s.user;
    const sites = u.role === 'admin' || (u.role === 'engineer' && u.sites.length === 0) ? null : u.sites;
    csrfBinding.set(request, s.csrf);
    request.viewer = { name: u.name, role: u.role, sites, via: 'session', csrf: reply.generateCsrf({ userInfo: s.csrf }), userId: u.id, tokenId: null };
  });
  app.addHook('preHandler', (request, reply, done) => {
    const isLogin = request.routeOptions.url === loginForm;
    const needs = isLogin
      ? request.method === 'POST' && (request.headers['content-type'] ?? '').startsWith(FORM)
      : request.viewer?.via === 'session' && UNSAFE.has(request.method);
    if (!needs) return done();
    app.csrfProtection(request, reply, done);
  });
}

export function requireViewer(request: FastifyRequest, roles?: readonly UserRole[]): Viewer {
  const v = request.viewer;
  if (!v) throw unauthorized('log in, or send a bearer token of an engineer, customer or admin');
  if (roles && !roles.includes(v.role)) throw forbidden(`role ${v.role} may not ${request.method} ${request.routeOptions.url}`);
  return v;
}

export const maySeeSite = (v: Viewer, site: string): boolean => v.sites === null || v.sites.includes(site);

export function assertViewerSite(v: Viewer, site: string): void {
  if (!maySeeSite(v, site)) throw forbidden(`${v.name} may not see site ${site}`);
}

/** Confidentiality (3.4.5): IP addresses and configurations only for the service company's people. */
export const maySeeAddresses = (v: Viewer): boolean => maySeeConfiguration(v.role);

/** Pages answer an anonymous visitor with the log-in form instead of a 401 body. */
export function redirectToLogin(request: FastifyRequest, reply: FastifyReply) {
  return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
}
