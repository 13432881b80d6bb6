import type { FastifyPluginAsync } from 'fastify';
import { AuditQuery } from '../../../../schemas/audit.js';
import { SiteParams } from '../../../../schemas/index.js';
import { assertSite, EDITORS, principalOf } from '../../../auth.js';
import type { TypeBoxProvider } from '../../../type-provider.js';
import { AuditLog } from '../../../users/index.js';

const DEFAULT_PAGE = 50;

/** The audit log of a site (sign-offs, confirmations, ticket steps, maintenance decisions) for the service company. */
export const auditRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const log = new AuditLog(app.store);

  app.get(
    '/api/v1/sites/:site/audit',
    {
      config: { auth: { roles: EDITORS } },
      schema: {
        tags: ['sites'],
        summary: 'Who did what and when at a site, newest first (engineers and admins)',
        description: 'Dashboard actions and API calls alike; follow `next` as `cursor` for older entries.',
        params: SiteParams,
        querystring: AuditQuery,
      },
    },
    async (request) => {
      const { site } = request.params;
      assertSite(principalOf(request), site);
      const limit = request.query.limit ?? DEFAULT_PAGE;
      const entries = await log.page(site, limit, request.query.cursor === undefined ? undefined : Number(request.query.cursor));
      const last = (await entries[entries.length - 1]);
      return {
        site,
        entries: entries.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), actor: e.actor, role: e.role, action: e.action, subject: e.subject, detail: e.detail })),
        next: entries.length === limit && last ? String(last.id) : null,
      };
    },
  );
};
