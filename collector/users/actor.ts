import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principalOf } from '../auth.js';
import { forbidden } from '../errors.js';
import type { TokenRole } from '../repositories/index.js';
import { AuditLog } from './repository.js';

/**
 * Whoever asks for an action — a person in the dashboard or a bearer token through the API — in
 * the one shape the action layer (`tickets/actions.ts`, `inspections/actions.ts`,
 * `maintenance/actions.ts`) checks: its role, its sites, its name for the audit log.
 */
export interface Actor {
  name: string;
  role: TokenRole;
  /** null: every site. */
  sites: readonly string[] | null;
  tokenId: number | null;
}

/** The dashboard's viewer when the plugin has one, else the API's bearer token. */
export function actorOf(request: FastifyRequest): Actor {
  const v = (request as { viewer?: { name: string; role: TokenRole; sites: string[] | null; tokenId: number | null } | null }).viewer;
  if (v) return { name: v.name, role: v.role, sites: v.sites, tokenId: v.tokenId };
  const p = principalOf(request);
  return { name: p.name, role: p.role, sites: p.site === null ? null : [p.site], tokenId: p.tokenId };
}

/** 403 unless the actor's role is one of `roles`; `what` names the action in the message. */
export function assertRole(actor: Actor, roles: readonly TokenRole[], what: string): void {
  if (!roles.includes(actor.role)) throw forbidden(`${what} needs the role ${roles.join(' or ')}`, { key: 'roleNeeded', args: { roles: roles.slice() } });
}

/** 403 unless the actor may act at `site`. The message names only what the actor asked for. */
/** Whether the actor's sites include this one (a global actor sees every site). */
export function actorSees(actor: Actor, site: string): boolean {
  return actor.sites === null || actor.sites.includes(site);
}

export function assertActorSite(actor: Actor, site: string, what: string): void {
  if (!actorSees(actor, site)) throw forbidden(`${actor.name} may not ${what}`, { key: 'notYourSite', args: {} });
}

/** What every action module is given: the storage, the repositories and the app's clock. */
export type ActionContext = Pick<FastifyInstance, 'db' | 'store' | 'repos' | 'clock'>;

/**
 * Runs `change` and writes its audit entry in one transaction: a change is never stored without
 * its entry, nor an entry without its change.
 */
export async function auditedChange<T>(
  ctx: ActionContext,
  actor: Actor,
  change: () => T | Promise<T>,
  entry: (result: T) => { action: string; site: string; subject?: string | null; detail?: string | null } | null,
): Promise<T> {
  const log = new AuditLog(ctx.store);
  return ctx.store.transaction(async () => {
    const result = await change();
    const e = entry(result);
    if (e) await log.record({ at: ctx.clock().getTime(), actor: actor.name, role: actor.role, ...e });
    return result;
  });
}
