import type { FastifyPluginAsync } from 'fastify';

/** GET /healthz: the process answers and the database reads (on either engine). Public. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', { schema: { tags: ['health'], security: [] } }, async () => ({
    status: 'ok',
    schemaVersion: (await app.store.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations'))?.v ?? 0,
  }));
};
