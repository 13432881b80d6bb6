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

export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    const name = part.slice(0, i).trim();
    try {
      out.set(name, decodeURIComponent(part.slice(i + 1).trim()));
    } catch {
      // a malformed cookie is ignored, not an error
    }
  }
  return out;
}

/** Secure when the collector speaks HTTPS (configured TLS) — a Secure cookie is never sent over plain HTTP. */
export function sessionCookie(value: string, secure: boolean, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Adds `request.viewer` to the routes of the calling plugin: from the bearer token the core
 * auth hook already verified, else from the session cookie. Unsafe requests made with a session
 * must carry its CSRF token (header x-csrf-token, or the form field _csrf) — a cross-site form
 * cannot read it. Routes named in `csrfExempt` (the log-in form) are not checked.
 */
export function registerViewer(app: FastifyInstance, users: UsersRepository, csrfExempt: ReadonlySet<string> = new Set()): void {
  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request) => {
    const p = request.principal;
    if (p) {
      if (p.role === 'agent') return;
      request.viewer = { name: p.name, role: p.role, sites: p.site === null ? null : [p.site], via: 'token', csrf: null, userId: null, tokenId: p.tokenId };
      return;
    }
    const cookie = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    if (!cookie) return;
    const s = users.session(cookie);
    if (!s) return;
    const u = s.user;
    const sites = u.role === 'admin' || (u.role === 'engineer' && u.sites.length === 0) ? null : u.sites;
    request.viewer = { name: u.name, role: u.role, sites, via: 'session', csrf: s.csrf, userId: u.id, tokenId: null };
  });
  app.addHook('preHandler', async (request) => {
    const v = request.viewer;
    if (!v || v.via !== 'session' || !UNSAFE.has(request.method)) return;
    if (csrfExempt.has(request.routeOptions.url ?? '')) return;
    const header = request.headers['x-csrf-token'];
    const body = request.body as Record<string, unknown> | undefined;
    const sent = typeof header === 'string' ? header : typeof body?._csrf === 'string' ? body._csrf : undefined;
    if (sent !== v.csrf) throw forbidden('missing or wrong CSRF token: reload the page and try again');
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
