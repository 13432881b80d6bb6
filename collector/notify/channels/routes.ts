import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { ChannelInput, ChannelParams, ChannelPatch, ChannelTestInput, ChannelTestResult, ChannelView } from '../../../schemas/index.js';
import { EDITORS } from '../../auth.js';
import type { TypeBoxProvider } from '../../type-provider.js';
import { actorOf } from '../../users/index.js';

/** The dashboard's address as the caller reached it, for the link in a test message. */
export const dashboardLink = (request: FastifyRequest) => `${request.protocol}://${request.host}/notify/channels`;

/** `/api/v1/notify/channels[/:name[/test]]` — engineers and admins; see actions.ts for who may change what. The actions are the `notify-channels` service's. */
export const channelRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const actions = app.notifyChannels;

  const tags = ['notify'];
  const config = { auth: { roles: EDITORS } };
  const base = '/api/v1/notify/channels';
  const secretNote = 'Secrets (password, url, secret) are sealed at rest and never returned: the answer says `{ set: true }`.';

  app.get(base, { config, schema: { tags, summary: 'Notification channels this token may see (company channels and its sites\' own)', response: { 200: { type: 'array', items: ChannelView } } } }, async (request) =>
    actions.list(actorOf(request)),
  );

  app.post(
    base,
    { config, schema: { tags, summary: 'Add a channel: email, webhook, wecom, dingtalk or feishu', description: `settings and secrets are checked against the kind's schema (collector/notify/channels/README.md). ${secretNote} 400 credential_key_missing when no key is configured.`, body: ChannelInput } },
    async (request, reply) => reply.status(201).send(await actions.create(actorOf(request), request.body)),
  );

  app.get(`${base}/:name`, { config, schema: { tags, params: ChannelParams } }, async (request) => actions.get(actorOf(request), request.params.name));

  app.patch(
    `${base}/:name`,
    { config, schema: { tags, summary: 'Change settings (null removes one) or replace secrets ("" removes an optional one)', description: secretNote, params: ChannelParams, body: ChannelPatch } },
    async (request) => actions.update(actorOf(request), request.params.name, request.body),
  );

  app.delete(`${base}/:name`, { config, schema: { tags, params: ChannelParams } }, async (request, reply) => {
    await actions.remove(actorOf(request), request.params.name);
    return reply.status(204).send();
  });

  app.post(
    `${base}/:name/test`,
    {
      config,
      schema: {
        tags,
        summary: 'Send a test message now',
        description: 'Always 200 when the channel exists: `outcome` says whether the far end took it (sent), asked to come back (retry, with afterMs) or refused it (dead), with the reason.',
        params: ChannelParams,
        body: ChannelTestInput,
        response: { 200: ChannelTestResult },
      },
    },
    async (request) => actions.test(actorOf(request), request.params.name, request.body ?? {}, dashboardLink(request)),
  );
};
