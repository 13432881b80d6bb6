import type { FastifyPluginAsync } from 'fastify';
import { Heartbeat } from '../../../../schemas/index.js';
import { principalOf } from '../../../auth.js';
import { recordHeartbeat } from '../../../ingest/ingest.js';
import { iso } from '../../../repositories/index.js';
import type { TypeBoxProvider } from '../../../type-provider.js';

/** POST /api/v1/heartbeat: the agent is alive, so a quiet host is not mistaken for a dead one. */
export const heartbeatRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  app.post(
    '/api/v1/heartbeat',
    { config: { auth: { roles: ['agent', 'admin'] } }, schema: { tags: ['ingest'], summary: 'Agent sign of life', body: Heartbeat } },
    async (request) => {
      const principal = principalOf(request);
      const device = await recordHeartbeat(app.store, app.repos, request.body, principal, app.clock());
      app.coreMetrics.heartbeats.inc();
      return { site: device.site, hostname: device.hostname, lastSeen: iso(device.lastSeen) };
    },
  );
};
