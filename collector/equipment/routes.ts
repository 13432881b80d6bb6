import type { FastifyPluginAsync } from 'fastify';
import { DeviceParams, FirmwareBaseline, FirmwareEntry, ManualDevice, SiteParams, UpgradeVerdictInput } from '../../schemas/index.js';
import { READERS } from '../auth.js';
import { notFound } from '../errors.js';
import { deviceJson, iso } from '../repositories/index.js';
import { actorOf, actorSees } from '../users/index.js';
import type { TypeBoxProvider } from '../type-provider.js';
import { EquipmentActions, EQUIPMENT_ROLES } from './actions.js';
import type { FirmwareStep } from './firmware.js';
import type { UpgradeRecommendation } from './recommendation.js';

const stepJson = (s: FirmwareStep) => ({ ...s, at: iso(s.at) });
const recommendationJson = (r: UpgradeRecommendation) => ({ ...r, verdict: r.verdict && { ...r.verdict, at: iso(r.verdict.at) } });

/** The equipment record by hand: manual devices, firmware history, upgrade verdicts and baselines. */
export const equipmentRoutes: FastifyPluginAsync = async (plain) => {
  const app = plain.withTypeProvider<TypeBoxProvider>();
  const actions = new EquipmentActions(app);
  const tags = ['devices'];

  app.post(
    '/api/v1/sites/:site/devices',
    {
      config: { auth: { roles: EQUIPMENT_ROLES.edit } },
      schema: {
        tags,
        summary: 'Put a device on record by hand',
        description:
          'Storage arrays, tape libraries, air conditioning, a UPS without SNMP, or any device not yet reporting. ' +
          'Entered model, serial (出厂编号), firmware, location, warranty and contract dates, notes and role are kept apart from what the device later reports ' +
          '(`entered` beside `reported`; `differences` names the fields where they disagree). A device put on record by hand has no results: its verdict is unknown ' +
          'and it is `monitored: false` until something reports for it; the silence scan does not watch it. 409 when the hostname is already on record.',
        params: SiteParams,
        body: ManualDevice,
      },
    },
    async (request, reply) => reply.status(201).send(deviceJson((await actions.create(actorOf(request), request.params.site, request.body)))),
  );

  app.get(
    '/api/v1/sites/:site/devices/:hostname/firmware',
    {
      config: { auth: { roles: READERS } },
      schema: {
        tags,
        summary: 'Firmware/version history and the upgrade recommendation',
        description:
          'History newest first: `origin: report` when a report changed the measured OS or version (and its first report), `origin: person` with `by` for a step written by hand. ' +
          "The recommendation compares the record's firmware with the model's baseline at the site; a person's verdict decides over it.",
        params: DeviceParams,
      },
    },
    async (request) => {
      const d = await actions.device(actorOf(request), request.params.site, request.params.hostname);
      return { site: d.site, hostname: d.hostname, history: (await actions.firmware.historyOf(d.id)).map(stepJson), recommendation: recommendationJson(await actions.recommendation(d)) };
    },
  );

  app.post(
    '/api/v1/sites/:site/devices/:hostname/firmware',
    {
      config: { auth: { roles: EQUIPMENT_ROLES.edit } },
      schema: {
        tags,
        summary: 'Record a firmware step by hand (who and when are kept)',
        description: "It becomes the record's entered firmware; a measured version that differs is still shown beside it. Audited as `device.firmware`.",
        params: DeviceParams,
        body: FirmwareEntry,
      },
    },
    async (request, reply) => reply.status(201).send({ history: (await actions.recordFirmware(actorOf(request), request.params.site, request.params.hostname, request.body)).map(stepJson) }),
  );

  app.put(
    '/api/v1/sites/:site/devices/:hostname/upgrade',
    {
      config: { auth: { roles: EQUIPMENT_ROLES.edit } },
      schema: {
        tags,
        summary: 'A person\'s upgrade verdict: needed (with a reason), not needed, or null to clear',
        description: '400 for `needed: true` without a reason. Audited as `device.upgrade`.',
        params: DeviceParams,
        body: UpgradeVerdictInput,
      },
    },
    async (request) => {
      const d = await actions.setUpgrade(actorOf(request), request.params.site, request.params.hostname, request.body);
      return { ...deviceJson(d), recommendation: recommendationJson(await actions.recommendation(d)) };
    },
  );

  const baselines = async (site: string) => (await actions.firmware.baselinesOf(site)).map((b) => ({ ...b, setAt: iso(b.setAt) }));
  app.get(
    '/api/v1/sites/:site/firmware-baselines',
    { config: { auth: { roles: READERS } }, schema: { tags, summary: 'The recommended firmware per model at a site', params: SiteParams } },
    async (request) => {
      if (!actorSees(actorOf(request), request.params.site) || !(await app.repos.sites.get(request.params.site))) throw notFound(`no site ${request.params.site}`);
      return { site: request.params.site, baselines: await baselines(request.params.site) };
    },
  );

  app.put(
    '/api/v1/sites/:site/firmware-baselines',
    {
      config: { auth: { roles: EQUIPMENT_ROLES.edit } },
      schema: {
        tags,
        summary: 'Set the recommended firmware of a model (the upgrade baseline)',
        description: 'Devices of that model (entered or reported, compared without case, spaces or dashes) below it are recommended an upgrade. Audited as `firmware.baseline`.',
        params: SiteParams,
        body: FirmwareBaseline,
      },
    },
    async (request) => {
      await actions.setBaseline(actorOf(request), request.params.site, request.body);
      return { site: request.params.site, baselines: await baselines(request.params.site) };
    },
  );
};

