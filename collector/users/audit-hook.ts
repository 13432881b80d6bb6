import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuditLog } from './repository.js';

/**
 * A route's audit rule, in its `config`: `config: { auth: …, audit: 'inspection.sign' }` or
 * `{ action, detail, createdOnly }`. The route's successful answer is then written to the audit log
 * with who (the token's name and role) and when — the same log the dashboard's actions write.
 */
export interface AuditRule {
  action: string;
  /** What to note beside the action (a step's note, a part's serials); default: the body's note or reason, or the revision. */
  detail?: (body: Record<string, unknown>, answer: Record<string, unknown>) => string | null | undefined;
  /** Only a 201 changed something (a 200 answered a repeat: an existing ticket, an upload already stored). */
  createdOnly?: boolean;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    audit?: string | AuditRule;
  }
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);

function defaultDetail(body: Record<string, unknown>, answer: Record<string, unknown>): string | null {
  return text(body.note) ?? text(body.reason) ?? (typeof answer.revision === 'number' ? `revision ${answer.revision}` : null);
}

/** The subject the dashboard also writes: an inspection's month, else `#id` of the ticket or request. */
function subjectOf(request: FastifyRequest, answer: Record<string, unknown>): string | null {
  const params = (request.params ?? {}) as Record<string, unknown>;
  return text(params.month) ?? text(answer.month) ?? (text(answer.id) ? `#${text(answer.id)}` : text(params.id) ? `#${text(params.id)}` : null);
}

/**
 * Registers the audit hook on the calling plugin's routes (fastify hooks are scoped to their
 * plugin). It runs before the answer is serialised, after the operation committed: a refused
 * request (4xx) never reaches it, and a 2xx is never sent for an action that was not logged.
 */
export function registerAudit(app: FastifyInstance): void {
  const log = new AuditLog(app.store);
  app.addHook('preSerialization', async (request, reply, payload) => {
    const configured = request.routeOptions.config?.audit;
    const p = request.principal;
    if (!configured || !p || reply.statusCode >= 400) return payload;
    const rule: AuditRule = typeof configured === 'string' ? { action: configured } : configured;
    if (rule.createdOnly && reply.statusCode !== 201) return payload;
    const answer = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
    const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
    const params = (request.params ?? {}) as Record<string, unknown>;
    await log.record({
      at: app.clock().getTime(),
      actor: p.name,
      role: p.role,
      action: rule.action,
      site: text(params.site) ?? text(answer.site) ?? text(body.site) ?? p.site,
      subject: subjectOf(request, answer),
      detail: (rule.detail ?? defaultDetail)(body, answer) ?? null,
    });
    return payload;
  });
}
