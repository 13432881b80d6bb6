import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import { InspectionAmend, InspectionNotes, InspectionParams, InspectionQuery, InspectionUpload } from '../../schemas/index.js';
import { assertSite, EDITORS, principalOf, READERS } from '../auth.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { registerAudit } from '../users/index.js';
import { InspectionsRepository } from './repository.js';

const SiteParams = Type.Object({ site: Type.String({ minLength: 1, maxLength: 100 }) });

/** Monthly inspection records (巡检记录): assembled or uploaded, signed, confirmed, locked, amended. */
export const inspectionsRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const inspections = new InspectionsRepository(app.db);
  const tags = ['inspections'];
  const base = '/api/v1/sites/:site/inspections/:month';
  // Sign-offs, confirmations, notes, amendments and uploads are in the audit log (the dashboard writes the same).
  registerAudit(app);

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
      const inspection = inspections.get(site, month, revision);
      const shown = app.redactorFor(p.role);
      return shown.showsConfiguration ? inspection : { ...inspection, rows: inspection.rows.map((r) => shown.row(r)) };
    },
  );

  app.post(
    base,
    {
      config: { auth: { roles: EDITORS }, audit: { action: 'inspection.upload', createdOnly: true, detail: (_b, a) => `${(a.accepted as unknown[]).length} forms` } },
      schema: {
        tags,
        summary: 'Upload field inspections (the CLI’s InspectionForm[]), idempotent by report id',
        description: '201 when something new was stored, 200 when every form was already there; 409 when the month is signed or confirmed.',
        params: InspectionParams,
        body: InspectionUpload,
      },
    },
    async (request, reply) => {
      const { site, month } = request.params;
      const p = principalOf(request);
      assertSite(p, site);
      const outcome = inspections.upload(site, month, request.body, p.name, app.clock().getTime());
      return reply.status(outcome.accepted.length > 0 ? 201 : 200).send(outcome);
    },
  );

  app.put(
    `${base}/notes`,
    { config: { auth: { roles: EDITORS }, audit: { action: 'inspection.notes', detail: () => null } }, schema: { tags, summary: "The engineer's notes (draft only)", params: InspectionParams, body: InspectionNotes } },
    async (request) => {
      const { site, month } = request.params;
      const p = principalOf(request);
      assertSite(p, site);
      return inspections.setNotes(site, month, request.body.notes, p.name, app.clock().getTime());
    },
  );

  app.post(
    `${base}/sign`,
    { config: { auth: { roles: EDITORS }, audit: 'inspection.sign' }, schema: { tags, summary: "The engineer's sign-off: freezes the rows", params: InspectionParams } },
    async (request) => {
      const { site, month } = request.params;
      const p = principalOf(request);
      assertSite(p, site);
      return inspections.sign(site, month, p.name, app.clock().getTime());
    },
  );

  app.post(
    `${base}/confirm`,
    { config: { auth: { roles: ['customer'] }, audit: 'inspection.confirm' }, schema: { tags, summary: "The customer's confirmation: locks the revision (customer role only)", params: InspectionParams } },
    async (request) => {
      const { site, month } = request.params;
      const p = principalOf(request);
      assertSite(p, site);
      return inspections.confirm(site, month, p.name, app.clock().getTime());
    },
  );

  app.post(
    `${base}/amend`,
    {
      config: { auth: { roles: EDITORS }, audit: 'inspection.amend' },
      schema: { tags, summary: 'Amend a signed or confirmed record: starts revision n+1 as a draft', params: InspectionParams, body: InspectionAmend },
    },
    async (request, reply) => {
      const { site, month } = request.params;
      const p = principalOf(request);
      assertSite(p, site);
      return reply.status(201).send(inspections.amend(site, month, request.body.reason, p.name, app.clock().getTime()));
    },
  );
};
