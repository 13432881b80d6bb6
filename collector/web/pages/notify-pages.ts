import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { NotifyActions } from '../../notify/index.js';
import { notFound } from '../../errors.js';
import { html } from '../../html/index.js';
import { actorOf, requireViewer, type Viewer } from '../../users/index.js';
import { langOf } from '../i18n.js';
import { layout } from './layout.js';
import { notifyForbidden, notifyTitle, notifyView } from './notify-views.js';
import type { PageKit } from './page-kit.js';
import { refusalText } from './error-page.js';
import { contractOf, siteContractForm } from './site-contract.js';
import { SiteActions } from '../../site-actions.js';

type Form = Record<string, string | string[] | undefined>;
/** A field as typed, trimmed; an empty one is "not given". */
const one = (f: Form, k: string): string | undefined => {
  const v = f[k];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
};
const all = (f: Form, k: string): string[] => {
  const v = f[k];
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).map((s) => s.trim()).filter(Boolean);
};
/** A whole number as a number; anything else passed on as typed, for the schema to name the field (a 400, not a silent 0). */
const int = (s: string | undefined): number | string | undefined => (s === undefined ? undefined : /^\d{1,9}$/.test(s) ? Number(s) : s);
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The settings form as NotifySettings: the form always carries every field, so it replaces the stored settings whole. */
export function settingsOf(f: Form): Record<string, unknown> {
  const start = one(f, 'quietStart');
  const end = one(f, 'quietEnd');
  const fractions = (one(f, 'deadlineFractions') ?? '').split(/[,，\s]+/).filter(Boolean);
  return defined({
    // One end without the other is passed on half, so the schema refuses it by name.
    quietHours: start || end ? defined({ start, end }) : undefined,
    deadlineFractions: fractions.map((p) => (/^\d+(\.\d+)?%?$/.test(p) ? Number(p.replace('%', '')) / 100 : p)),
    groupWindowSeconds: int(one(f, 'groupWindowSeconds')),
    contractStart: one(f, 'contractStart'),
    monthEndDays: int(one(f, 'monthEndDays')),
  });
}

/** The rule form: no priority ticked means every priority. */
export const ruleOf = (f: Form) => {
  const priorities = all(f, 'priorities');
  return defined({ event: one(f, 'event'), priorities: priorities.length ? priorities : '*', channel: one(f, 'channel'), audience: one(f, 'audience'), lang: one(f, 'lang') });
};

/** The escalation form's numbered rows; a row without minutes is dropped (that is how a step is removed). */
export function escalationOf(f: Form): { steps: Record<string, unknown>[] } {
  const steps: Record<string, unknown>[] = [];
  for (let i = 0; i < 20; i++) {
    const after = one(f, `afterMinutes_${i}`);
    if (after === undefined) continue;
    steps.push(defined({ afterMinutes: int(after), audience: one(f, `audience_${i}`), channel: one(f, `channel_${i}`) }));
  }
  return { steps };
}

/** What the page needs beyond the kit: a local date-time read in the site's zone, and the channels a site may use. */
export interface NotifyPageDeps {
  isoOf: (local: string | undefined, zone: string, field: string) => string | undefined;
  channelsFor: (request: FastifyRequest, site: string) => Promise<string[]>;
}

/**
 * `/sites/:site/notify` and its form posts (engineers and admins). Each post turns the form into the
 * API's input and calls NotifyActions: role, site, validation and the audit entry are the API's.
 */
export function notifyPages(app: FastifyInstance, actions: NotifyActions, kit: PageKit, deps: NotifyPageDeps): void {
  const back = (site: string) => `/sites/${encodeURIComponent(site)}/notify`;
  const siteActions = new SiteActions(app);
  const form = (request: FastifyRequest) => (request.body ?? {}) as Form;
  const idOf = (request: FastifyRequest, what: string) => {
    const id = Number((request.params as { id: string }).id);
    if (!Number.isInteger(id) || id < 1) throw notFound(`no ${what} ${(request.params as { id: string }).id}`);
    return id;
  };
  const post = (path: string, run: (request: FastifyRequest, site: string, v: Viewer) => unknown) =>
    app.post(`/sites/:site/notify${path}`, async (request, reply) => {
      const v = requireViewer(request);
      const site = await kit.siteParam(request, v);
      return kit.act(reply, back(site), () => run(request, site, v));
    });

  app.get('/sites/:site/notify', async (request, reply) => {
    const v = kit.viewerOr(request, reply);
    if (!v) return reply;
    const site = await kit.siteParam(request, v);
    const lang = langOf(request);
    const title = `${notifyTitle(lang)} · ${site}`;
    // The rota holds people's addresses: customers never see it (the action would refuse them too).
    if (v.role === 'customer') return kit.page(reply.status(403), layout(lang, title, html`<p class="error" role="alert">${notifyForbidden(lang)}</p>`, v, site));
    const actor = actorOf(request);
    const [view, dead, recent, channels] = await Promise.all([
      actions.view(actor, site),
      actions.outbox(actor, site, 'dead', 50),
      actions.outbox(actor, site, undefined, 20),
      deps.channelsFor(request, site),
    ]);
    const error = refusalText(lang, request.query);
    const contract = siteContractForm(lang, v, (await app.repos.sites.get(site))!);
    return kit.page(reply, layout(lang, title, html`${notifyView(lang, v, site, await kit.zoneOf(site), { ...view, dead, recent, channels }, error)}${contract}`, v, site));
  });

  post('/settings', (request, site) => actions.setSettings(actorOf(request), site, settingsOf(form(request))));
  post('/contract', (request, site) => siteActions.setContract(actorOf(request), site, contractOf(form(request))));
  post('/rules', (request, site) => actions.addRule(actorOf(request), site, ruleOf(form(request))));
  post('/rules/:id/delete', (request, site) => actions.deleteRule(actorOf(request), site, idOf(request, 'notification rule')));
  post('/rota', async (request, site) => {
    const f = form(request);
    const zone = await kit.zoneOf(site);
    return actions.addRota(
      actorOf(request),
      site,
      defined({ person: one(f, 'person'), role: one(f, 'role'), email: one(f, 'email'), lang: one(f, 'lang'), from: deps.isoOf(one(f, 'from'), zone, 'from'), until: deps.isoOf(one(f, 'until'), zone, 'until'), special: one(f, 'special') }),
    );
  });
  post('/rota/:id/delete', (request, site) => actions.deleteRota(actorOf(request), site, idOf(request, 'rota entry')));
  post('/escalation', (request, site) => actions.setEscalation(actorOf(request), site, escalationOf(form(request))));
  post('/outbox/:id/retry', (request, site) => actions.retry(actorOf(request), site, idOf(request, 'dead letter')));
}
