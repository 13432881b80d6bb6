import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { InspectionAmend, InspectionNotes, InspectionParams, InspectionQuery, InspectionUpload, type Inspection } from '../../schemas/index.js';
import { assertSite, principalOf, READERS } from '../auth.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { actorOf } from '../users/index.js';
import { InspectionActions, INSPECTION_ROLES } from './actions.js';

const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 100 }) });

/** Monthly inspection records (巡检记录): assembled or uploaded, signed, confirmed, locked, amended. */
export const inspectionsRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  // Every change goes through the action layer the dashboard uses too (role, site, validation, audit).
  const actions = new InspectionActions(app);
  const inspections = actions.inspections;
  // A customer reads an inspection's rows through the one redactor: no address in ids, commands or reasons.
  const shown = (role: string, inspection: Inspection): Inspection => {
    const r = app.redactorFor(role);
    return r.showsConfiguration ? inspection : { ...inspection, rows: inspection.rows.map((row) => r.row(row)) };
  };
  const tags = ['inspections'];
  const base = '/api/v1/sites/:site/inspections/:month';

  app.get(
    '/api/v1/sites/:site/inspections',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: 'Months with an inspection record', params: SiteParams } },
    async (request) => {
      assertSite(principalOf(request), request.params.site);
      return inspections.months(request.params.site);
    },
  );

  app.get(
    base,
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags,
        summary: "The month's inspection: latest revision (or ?revision=n) with every device × check row",
        params: InspectionParams,
        querystring: InspectionQuery,
      },
    },
    async (request) => {
      const { site, month } = request.params;
      const p = principalOf(request);
      assertSite(p, site);
      const revision = request.query.revision === undefined ? undefined : Number(request.query.revision);
      // A customer reads only what the engineer has signed: a draft is a 404 for them, by any revision.
      const inspection = p.role === 'customer' ? await inspections.published(site, month, revision) : await inspections.get(site, month, revision);
      return shown(p.role, inspection);
    },
  );

  app.post(
    base,
    {
      config: { auth: { roles: INSPECTION_ROLES.upload } },
      schema: {
        tags,
        summary: 'Upload field inspections (the CLI’s InspectionForm[]), idempotent by report id',
        description: '201 when something new was stored, 200 when every form was already there; 409 when the month is signed or confirmed.',
        params: InspectionParams,
        body: InspectionUpload,
      },
    },
    async (request, reply) => {
      const outcome = await actions.upload(actorOf(request), request.params.site, request.params.month, request.body);
      return reply.status(outcome.accepted.length > 0 ? 201 : 200).send(outcome);
    },
  );

  app.put(
    `${base}/notes`,
    { config: { auth: { roles: INSPECTION_ROLES.notes } }, schema: { tags, summary: "The engineer's notes (draft only)", params: InspectionParams, body: InspectionNotes } },
    async (request) => actions.setNotes(actorOf(request), request.params.site, request.params.month, request.body),
  );

  app.post(
    `${base}/sign`,
    {
      config: { auth: { roles: INSPECTION_ROLES.sign } },
      // The body ({ remark }) is optional, so it is validated by the action, not by a route schema that would refuse an empty POST.
      schema: { tags, summary: "The engineer's sign-off: freezes the rows; optional body { remark }", params: InspectionParams },
    },
    async (request) => actions.sign(actorOf(request), request.params.site, request.params.month, request.body),
  );

  app.post(
    `${base}/confirm`,
    {
      config: { auth: { roles: INSPECTION_ROLES.confirm } },
      schema: { tags, summary: "The customer's confirmation: locks the revision (customer role only); optional body { remark }", params: InspectionParams },
    },
    async (request) => shown(principalOf(request).role, (await actions.confirm(actorOf(request), request.params.site, request.params.month, request.body))),
  );

  app.post(
    `${base}/amend`,
    {
      config: { auth: { roles: INSPECTION_ROLES.amend } },
      schema: { tags, summary: 'Amend a signed or confirmed record: starts revision n+1 as a draft', params: InspectionParams, body: InspectionAmend },
    },
    async (request, reply) => reply.status(201).send(await actions.amend(actorOf(request), request.params.site, request.params.month, request.body)),
  );
};
