import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TokenRole, TokensRepository } from './repositories/index.js';
import { forbidden, unauthorized } from './errors.js';

/** Who is calling: stamped on whatever they write. */
export interface Principal {
  tokenId: number;
  name: string;
  role: TokenRole;
  /** null: a global admin. */
  site: string | null;
  /** An agent token's device when it was already bound as it authenticated (saves ingest reading the token again). */
  device?: string | null;
}

/** A route's access rule, in its `config`: `config: { auth: { roles: ['engineer', 'admin'] } }`. */
export interface RouteAuth {
  roles: readonly TokenRole[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Absent or false: public (health, metrics, docs). */
    auth?: RouteAuth | false;
  }
}

export const READERS: readonly TokenRole[] = ['engineer', 'customer', 'admin'];
export const EDITORS: readonly TokenRole[] = ['engineer', 'admin'];
export const REPORTERS: readonly TokenRole[] = ['agent', 'engineer', 'admin'];

function bearer(request: FastifyRequest): string | undefined | null {
  const header = request.headers.authorization;
  if (header === undefined) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1]! : null;
}

/**
 * Authentication runs first (onRequest), before the body is read: a client without a valid
 * token gets 401 whatever it sent, and a token of the wrong role 403. Site scope needs the
 * resource, so routes call `assertSite`.
 */
export function registerAuth(app: FastifyInstance, tokens: TokensRepository): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const rule = request.routeOptions.config?.auth;
    const secret = bearer(request);
    if (secret === null) throw unauthorized('Authorization must be "Bearer <token>"');
    if (secret !== undefined) {
      const row = await tokens.verify(secret);
      if (!row) throw unauthorized('unknown or revoked token');
      request.principal = { tokenId: row.id, name: row.name, role: row.role, site: row.site, device: row.device };
    }
    if (!rule) return;
    if (!request.principal) throw unauthorized();
    if (!rule.roles.includes(request.principal.role)) {
      throw forbidden(`role ${request.principal.role} may not ${request.method} ${request.routeOptions.url}`);
    }
  });
}

/** The principal of an authenticated route (onRequest guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

/** 403 unless the token is global or scoped to this site. */
export function assertSite(principal: Principal, site: string): void {
  if (principal.site !== null && principal.site !== site) {
    throw forbidden(`token "${principal.name}" is for site ${principal.site}, not ${site}`);
  }
}

/** The sites a principal may see: null means all. */
export const visibleSite = (principal: Principal): string | null => principal.site;
