import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MaintenanceActions } from '../../maintenance/index.js';
import { notFound } from '../../errors.js';
import { actorOf, requireViewer, type Viewer } from '../../users/index.js';
import type { PageKit } from './page-kit.js';
import { langOf, t } from '../i18n.js';
import { layout } from './layout.js';
import { maintenanceDetailView } from './maintenance-views.js';
import { refusalText } from './error-page.js';

type Form = Record<string, string | string[] | undefined>;
const field = (f: Form, k: string): string | undefined => {
  const v = f[k];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * A maintenance request's own page (`/sites/:site/maintenance/:id`) — the customer reads all of it
 * there before approving or rejecting — and the form posts of every step from it. Each post only
 * turns the form into the action's input: roles, the state machine and the audit entry are
 * MaintenanceActions', the same code the API calls.
 */
export function maintenancePages(app: FastifyInstance, actions: MaintenanceActions, kit: PageKit): void {
  const requestOf = async (request: FastifyRequest, v: Viewer) => {
    const site = await kit.siteParam(request, v);
    const id = Number((request.params as { id: string }).id);
    if (!Number.isInteger(id) || id < 1) throw notFound(`no maintenance request ${id}`);
    // Another site's request answers as a missing one, as in the API.
    return { site, id, m: await actions.requests.getFor(id, site) };
  };
  const back = (site: string, id: number) => `/sites/${encodeURIComponent(site)}/maintenance/${id}`;

  app.get('/sites/:site/maintenance/:id', async (request, reply) => {
    const v = kit.viewerOr(request, reply);
    if (!v) return reply;
    const { site, id, m } = await requestOf(request, v);
    const lang = langOf(request);
    const error = refusalText(lang, request.query);
    return kit.page(reply, layout(lang, `${t(lang, 'maintenance')} #${id} · ${site}`, maintenanceDetailView(lang, v, site, m, (await kit.zoneOf(site)), error), v, site));
  });

  for (const decision of ['approve', 'reject', 'cancel'] as const) {
    app.post(`/sites/:site/maintenance/:id/${decision}`, async (request, reply) => {
      const { site, id } = await requestOf(request, requireViewer(request));
      return kit.act(reply, back(site, id), () => actions.decide(actorOf(request), id, decision, field(request.body as Form, 'note')));
    });
  }
  app.post('/sites/:site/maintenance/:id/start', async (request, reply) => {
    const { site, id } = await requestOf(request, requireViewer(request));
    return kit.act(reply, back(site, id), () => actions.start(actorOf(request), id, {}));
  });
  for (const how of ['complete', 'rollback'] as const) {
    app.post(`/sites/:site/maintenance/:id/${how}`, async (request, reply) => {
      const { site, id } = await requestOf(request, requireViewer(request));
      const f = request.body as Form;
      return kit.act(reply, back(site, id), () => actions.finish(actorOf(request), id, how, { workDone: field(f, 'workDone'), outcome: field(f, 'outcome') }));
    });
  }
}
