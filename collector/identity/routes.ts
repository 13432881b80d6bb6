import type { FastifyPluginAsync } from 'fastify';
import { TokenBinding, TokenParams } from '../../schemas/index.js';
import { principalOf } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import { tokenJson } from '../repositories/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { registerAudit } from '../users/index.js';

const tags = ['tokens'];

/** Tokens for admins: which device each agent token speaks for, and re-binding (audited). */
export const tokenRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  registerAudit(app);

  app.get(
    '/api/v1/tokens',
    { config: { auth: { roles: ['admin'] } }, schema: { tags, summary: 'API tokens (never their secrets) with the device each agent token is bound to' } },
    async (request) => {
      const site = principalOf(request).site;
      return { tokens: (await app.repos.tokens.list()).filter((t) => site === null || t.site === site).map(tokenJson) };
    },
  );

  app.put(
    '/api/v1/tokens/:id/device',
    {
      config: {
        auth: { roles: ['admin'] },
        audit: { action: 'token.bind', detail: (_b, a) => `${String(a.previousDevice ?? 'unbound')} → ${String(a.device)} (by an admin)` },
      },
      schema: {
        tags,
        summary: 'Bind an agent token to a device (a renamed server); its reports for any other hostname are then 403',
        params: TokenParams,
        body: TokenBinding,
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const token = await app.repos.tokens.get(Number(request.params.id));
      // Another site's token is "not found": its existence is none of this admin's business.
      if (!token || token.revokedAt !== null || (principal.site !== null && token.site !== principal.site)) throw notFound(`no live token ${request.params.id}`);
      if (token.role !== 'agent') throw badRequest('not_an_agent_token', `token ${token.id} is a ${token.role} token: only agent tokens are bound to one device`);
      await app.repos.tokens.bind(token.id, request.body.device, app.clock().getTime());
      return { ...tokenJson((await app.repos.tokens.get(token.id))!), previousDevice: token.device };
    },
  );
};
