import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EquipmentActions } from '../../equipment/index.js';
import type { SafeHtml } from '../../html/index.js';
import { recordDifferences, type DeviceRow } from '../../repositories/index.js';
import { actorOf, requireViewer, type Viewer } from '../../users/index.js';
import { equipmentWord, recommend } from '../../equipment/index.js';
import { langOf } from '../i18n.js';
import { layout } from './layout.js';
import { equipmentListView, equipmentPanel } from './device-views.js';
import { refusalText } from './error-page.js';

type Form = Record<string, string | string[] | undefined>;
const one = (f: Form, k: string): string | undefined => {
  const v = f[k];
  return Array.isArray(v) ? v[0] : v;
};
/** The fields of the record forms: an emptied field clears the entry (null); a field not in the form is left alone. */
const RECORD_FIELDS = ['vendor', 'model', 'serial', 'firmware', 'location', 'role', 'warrantyUntil', 'contractUntil', 'notes'] as const;
function recordOf(f: Form): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const k of RECORD_FIELDS) {
    const v = one(f, k);
    if (v !== undefined) out[k] = v.trim() === '' ? null : k === 'notes' ? v : v.trim();
  }
  return out;
}

/** What the device pages share with the other dashboard pages (routes.ts). */
export interface PageHelpers {
  viewerOr(request: FastifyRequest, reply: FastifyReply): Viewer | null;
  page(reply: FastifyReply, body: SafeHtml): FastifyReply;
  siteParam(request: FastifyRequest, v: Viewer): Promise<string>;
  act(reply: FastifyReply, back: string, fn: () => unknown): Promise<FastifyReply>;
}

/**
 * The equipment record's pages and form posts; every post goes through `EquipmentActions`, the
 * layer the API calls (role, site, validation, audit). Returns the device page's record panel.
 */
export function registerEquipmentPages(app: FastifyInstance, h: PageHelpers) {
  const actions = new EquipmentActions(app);
  const deviceBack = (site: string, host: string) => `/sites/${encodeURIComponent(site)}/devices/${encodeURIComponent(host)}`;
  const hostOf = (request: FastifyRequest) => (request.params as { host: string }).host;

  app.get('/sites/:site/equipment', async (request, reply) => {
    const v = h.viewerOr(request, reply);
    if (!v) return reply;
    const site = await h.siteParam(request, v);
    const lang = langOf(request);
    const baselines = await actions.firmware.baselinesOf(site);
    const devices = (await app.repos.devices.listBySite(site)).map((d) => ({ ...d, differences: recordDifferences(d), recommendation: recommend(d, baselines) }));
    return h.page(reply, layout(lang, `${equipmentWord(lang, 'record')} · ${site}`, equipmentListView(lang, v, site, devices, refusalText(lang, request.query)), v, site));
  });
  app.post('/sites/:site/equipment', async (request, reply) => {
    const v = requireViewer(request);
    const site = await h.siteParam(request, v);
    const f = request.body as Form;
    const host = one(f, 'hostname') ?? '';
    let made: DeviceRow | undefined;
    const back = `/sites/${encodeURIComponent(site)}/equipment`;
    try {
      made = await actions.create(actorOf(request), site, { hostname: host, kind: one(f, 'kind'), ...Object.fromEntries(Object.entries(recordOf(f)).filter(([, x]) => x !== null)) });
    } catch (err) {
      return h.act(reply, back, () => {
        throw err;
      });
    }
    return h.act(reply, deviceBack(site, made.hostname), () => undefined);
  });
  app.post('/sites/:site/devices/:host/record', async (request, reply) => {
    const v = requireViewer(request);
    const site = await h.siteParam(request, v);
    const host = hostOf(request);
    const f = request.body as Form;
    return h.act(reply, deviceBack(site, host), () => actions.edit(actorOf(request), site, host, { ...recordOf(f), ...(one(f, 'kind') ? { kind: one(f, 'kind') } : {}) }));
  });
  app.post('/sites/:site/devices/:host/firmware', async (request, reply) => {
    const v = requireViewer(request);
    const site = await h.siteParam(request, v);
    const host = hostOf(request);
    const f = request.body as Form;
    return h.act(reply, deviceBack(site, host), () => actions.recordFirmware(actorOf(request), site, host, { firmware: one(f, 'firmware')?.trim() ?? '', ...(one(f, 'note') ? { note: one(f, 'note') } : {}) }));
  });
  app.post('/sites/:site/devices/:host/upgrade', async (request, reply) => {
    const v = requireViewer(request);
    const site = await h.siteParam(request, v);
    const host = hostOf(request);
    const f = request.body as Form;
    const needed = one(f, 'needed');
    return h.act(reply, deviceBack(site, host), () => actions.setUpgrade(actorOf(request), site, host, { needed: needed === 'true' ? true : needed === 'false' ? false : null, ...(one(f, 'reason') ? { reason: one(f, 'reason') } : {}) }));
  });

  return {
    /** The record panel of the device page (errors of its forms come back in `?error=`). */
    async panel(request: FastifyRequest, v: Viewer, d: DeviceRow): Promise<SafeHtml> {
      return equipmentPanel(langOf(request), v, { device: d, history: await actions.firmware.historyOf(d.id), recommendation: await actions.recommendation(d), differences: recordDifferences(d), zone: (await app.repos.sites.timeZoneOf(d.site)) }, refusalText(langOf(request), request.query));
    },
  };
}
