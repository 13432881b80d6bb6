import type { FastifyPluginAsync } from 'fastify';
import { schemaVersion } from '../storage/db.js';

/** GET /healthz: the process answers and the database reads. Public. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: { tags: ['health'], security: [] } }, async () => ({
    status: 'ok',
    schemaVersion: schemaVersion(app.db),
  }));
};
