import type { FastifyPluginAsync } from 'fastify';

/** GET /metrics: Prometheus text format. Public, and carries no site or device names. */
export const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { schema: { tags: ['health'], security: [] } }, async (_request, reply) =>
    reply.type('text/plain; version=0.0.4; charset=utf-8').send(app.metrics.render()),
  );
};
