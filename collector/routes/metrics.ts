import type { FastifyPluginAsync } from 'fastify';

/**
 * GET /metrics: Prometheus text format. Without a token it carries only the collector's own
 * figures (ingest, latency, rejections, retention, syslog), no site or device names and nothing
 * counted from customers' data; a global admin token (`Authorization: Bearer …`) also gets the
 * tenant figures (open and overdue tickets, SNMP targets). A bad token is a 401 (auth.ts).
 */
export const metricsRoutes: FastifyPluginAsync = async (app) => {
  app.get('/metrics', { schema: { tags: ['health'], security: [] } }, async (request, reply) => {
    const p = request.principal;
    const tenant = p !== null && p.role === 'admin' && p.site === null;
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(await app.metrics.render({ tenant }));
  });
};
