import type { FastifyPluginAsync } from 'fastify';
import type { AuditLog } from '../../users/index.js';

export function pageRoutes(_audit: AuditLog): FastifyPluginAsync {
  return async () => {};
}
