import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { resolveThresholds } from '../../../checks/index.js';
import { CHECK_IDS, CpuThresholds, MemoryThresholds, ValidationError, type CheckId, type Lang } from '../../../schemas/index.js';
import { ApiError, badRequest, notFound } from '../../errors.js';
import { html, type SafeHtml } from '../../html/index.js';
import { InspectionActions } from '../../inspections/index.js';
import { MaintenanceActions } from '../../maintenance/index.js';
import { checkName, formatTime, localisedRows, reportSources, symptomText } from '../../reports/index.js';
import { monthOfTime } from '../../reports/period.js';
import { periodChoices } from '../../reports/period-choices.js';
import { selectedPeriods } from './reports-view.js';
import { siteEngineers, STEP_NAMES, TicketActions, type StepName } from '../../tickets/index.js';
import { actorOf, assertViewerSite, maySeeSite, redactorFor, redirectToLogin, requireViewer, type AuditLog, type Viewer } from '../../users/index.js';
import { langOf, t } from '../i18n.js';
import { checkHistoryChart, rangeOf, trendCharts, trendsOf } from '../trends.js';
import { auditActionText, ROLE_TERMS, term } from '../../terms.js';
import { layout } from './layout.js';
import { localInstant as isoOf } from './local-time.js';
import { registerFaultReport, registerTicketForms } from './ticket-routes.js';
import { faultReportForm, reportedNotice, type FaultForm } from './fault-report.js';
import { registerEquipmentPages } from './device-routes.js';
import { maintenancePages } from './maintenance-pages.js';
import { overviewPages, siteSummary } from './overview.js';
import { channelPages } from './channels.js';
import { notifyPages } from './notify-pages.js';
import { NotifyActions } from '../../notify/index.js';
import { reviewFilterOf, reviewView, type ReviewDevice } from './review-view.js';
import { byPriorityThenDeadline, parseTicketListQuery, ticketFilterForm, ticketMatches } from './ticket-views.js';
import { cellView, deviceView, maintenanceView, reportsView, sitesView, ticketView, ticketsTable, type SiteSummary } from './views.js';
import { refusalText } from './error-page.js';
import { refusalOf, refusalQuery } from '../../refusals.js';

type Form = Record<string, string | string[] | undefined>;
const one = (f: Form, k: string): string | undefined => {
  const v = f[k];
  return Array.isArray(v) ? v[0] : v;
};
/**
 * A Location header holds printable ASCII only: a path parameter such as U+202E or a message with
 * Chinese text is percent-encoded (a lone surrogate half as U+FFFD), never a 500 from Node's header check.
 */
const location = (text: string, unsafe = /[^\x21-\x7e]/): string =>
  text.replace(/[\ud800-\udbff][\udc00-\udfff]|[^]/g, (ch) => (unsafe.test(ch) ? (/^[\ud800-\udfff]$/.test(ch) ? '%EF%BF%BD' : encodeURIComponent(ch)) : ch));
const errorParam = (request: FastifyRequest) => refusalText(langOf(request), request.query);

/**
 * The dashboard's server-rendered pages and their form posts. A form post only turns the form's
 * fields into the action's input: who may do it, validation and the audit entry are the action
 * layer's (tickets/, inspections/, maintenance/ `actions.ts`), the same code the API calls.
 */
/** An audited action in words; one the tables do not know is shown as the code it is. */
function auditAction(lang: Lang, action: string): SafeHtml {
  const { text, known } = auditActionText(lang, action);
  return known ? html`<span title="${action}">${text}</span>` : html`<code>${action}</code>`;
}

export function pageRoutes(audit: AuditLog): FastifyPluginAsync {
  return async (app) => {
    const ticketActions = new TicketActions(app);
    const inspectionActions = new InspectionActions(app);
    const maintenanceActions = new MaintenanceActions(app);
    const tickets = ticketActions.tickets;
    const inspections = inspectionActions.inspections;
    const maintenance = maintenanceActions.requests;
    const sources = reportSources(app.repos);
    // A form post whose body is JSON null, an array, a bare value or nothing at all reads as an
    // empty form: its action then refuses the missing fields like any other (found by the route fuzz test).
    app.addHook('preValidation', async (request) => {
      if (request.method === 'POST' && (request.body === null || typeof request.body !== 'object' || Array.isArray(request.body))) request.body = {};
    });
    const queries = sources.queries;

    /** The page's viewer, or a redirect to the log-in form. */
    const viewerOr = (request: FastifyRequest, reply: FastifyReply): Viewer | null => {
      if (!request.viewer) {
        void redirectToLogin(request, reply);
        return null;
      }
      return request.viewer;
    };
    const page = (reply: FastifyReply, body: SafeHtml) => reply.type('text/html; charset=utf-8').send(body.markup);
    /** The site's time zone: the months its pages open on and every time they print. */
    const zoneOf = (site: string) => app.repos.sites.timeZoneOf(site);
    const siteParam = async (request: FastifyRequest, v: Viewer) => {
      const site = (request.params as { site: string }).site;
      assertViewerSite(v, site);
      if (!(await app.repos.sites.get(site))) throw notFound(`no site ${site}`);
      return site;
    };
    /** Runs a form action; a refused action (4xx) comes back to the page with its refusal's key and arguments (never its text). */
    const act = async (reply: FastifyReply, back: string, fn: () => unknown) => {
      try {
        await fn();
        return reply.redirect(location(back), 303);
      } catch (err) {
        if ((err instanceof ApiError && err.statusCode < 500) || err instanceof ValidationError) return reply.redirect(location(`${back}${back.includes('?') ? '&' : '?'}${refusalQuery(refusalOf(err))}`), 303);
        throw err;
      }
    };

    const equipment = registerEquipmentPages(app, { viewerOr, page, siteParam, act });

    app.get('/', async (request, reply) => {
      const v = viewerOr(request, reply);
      if (!v) return reply;
      const lang = langOf(request);
      const now = app.clock();
      const active = await tickets.list({ status: 'active', limit: 1_000_000 }, now);
      const sites: SiteSummary[] = await Promise.all(
        (await app.repos.sites.list()).filter((s) => maySeeSite(v, s.name)).map((s) => siteSummary(app, inspections, s, active, now.getTime())),
      );
      return page(reply, layout(lang, t(lang, 'sites'), sitesView(lang, sites), v));
    });

    /** The month's record as this viewer may read it: a customer sees only what the engineer signed (null: nothing yet). */
    const readable = async (v: Viewer, site: string, month: string) => {
      if (v.role !== 'customer') return inspections.get(site, month);
      try {
        return await inspections.published(site, month);
      } catch (err) {
        if (err instanceof ApiError && err.statusCode === 404) return null;
        throw err;
      }
    };

    app.get('/sites/:site/review', async (request, reply) => {
      const v = viewerOr(request, reply);
      if (!v) return reply;
      const site = await siteParam(request, v);
      const lang = langOf(request);
      const zone = await zoneOf(site);
      const query = request.query as Record<string, unknown>;
      const current = monthOfTime(app.clock().getTime(), zone);
      const month = typeof query.month === 'string' && query.month ? query.month : current;
      const stored = await readable(v, site, month);
      const shown = app.redactorFor(v.role);
      const insp = !stored || shown.showsConfiguration ? stored : { ...stored, rows: stored.rows.map((r) => shown.row(r)) };
      const months = [...new Set([current, month, ...(await inspections.months(site)).map((m) => m.month)])].sort().reverse().slice(0, 12);
      const devices = new Map<string, ReviewDevice>();
      for (const d of await app.repos.devices.listBySite(site)) devices.set(d.hostname, { kind: d.kind, model: [d.vendor, d.model].filter(Boolean).join(' '), role: d.role });
      // Each abnormal cell links to its open ticket (the subject of a check's ticket is the check id).
      const open = new Map<string, number>();
      if (insp) for (const tk of await tickets.list({ site, status: 'active', limit: 100_000 }, app.clock())) if (tk.device) open.set(`${tk.device}\u0000${tk.subject}`, tk.id);
      const title = (await app.repos.sites.get(site))?.title || null;
      const view = reviewView(lang, { site, title, insp, month, months, viewer: v, zone, devices, tickets: open, filter: reviewFilterOf(query), error: errorParam(request) });
      return page(reply, layout(lang, `${t(lang, 'review')} · ${title ?? site} · ${month}`, view, v, site));
    });

    app.get('/sites/:site/cell', async (request, reply) => {
      const v = viewerOr(request, reply);
      if (!v) return reply;
      const site = await siteParam(request, v);
      const lang = langOf(request);
      const q = request.query as { month?: string; device?: string; check?: string; fragment?: string };
      const check = q.check as CheckId;
      if (!CHECK_IDS.includes(check) || !q.device) throw notFound('no such cell');
      const month = q.month ?? monthOfTime(app.clock().getTime(), (await zoneOf(site)));
      const record = await readable(v, site, month);
      if (!record) throw notFound(`no signed record of ${site} ${month}`);
      const recorded = record.rows.find((r) => r.device === q.device && r.check === check);
      const shown = app.redactorFor(v.role);
      const row = recorded && shown.row((await localisedRows(sources, (await app.repos.sites.get(site))!, [recorded], lang))[0]!);
      const device = await app.repos.devices.get(site, q.device);
      const history = device ? (await app.repos.results.history(device.id, check, 12)) : [];
      // Looked up by the stored id; what the page shows went through the redactor.
      const reportId = recorded?.reportId;
      const report = reportId ? (await app.repos.reports.get(reportId)) : undefined;
      const measurements = report ? (await app.repos.reports.measurements(report.id)).filter((m) => m.check === check).slice(0, 200).map((m) => shown.measurement(m)) : [];
      const stored = reportId ? history.find((x) => x.reportId === reportId) : history[0];
      const detail = cellView(lang, { device: q.device, check, row, measurements, threshold: stored?.result.threshold ?? {}, history: history.map((x) => ({ ...x, reportId: shown.reportId(x.reportId), result: shown.result(x.result) })) }, (await zoneOf(site)));
      if (q.fragment) return page(reply, detail);
      return page(reply, layout(lang, `${q.device} · ${check}`, detail, v, site));
    });

    const reviewBase = (site: string, month: string) => `/sites/${encodeURIComponent(site)}/review?month=${encodeURIComponent(month)}`;
    const monthParam = (request: FastifyRequest) => (request.params as { month: string }).month;
    app.post('/sites/:site/review/:month/notes', async (request, reply) => {
      const v = requireViewer(request);
      const site = await siteParam(request, v);
      const month = monthParam(request);
      return act(reply, reviewBase(site, month), () => inspectionActions.setNotes(actorOf(request), site, month, { notes: one(request.body as Form, 'notes') ?? '' }));
    });
    app.post('/sites/:site/review/:month/sign', async (request, reply) => {
      const v = requireViewer(request);
      const site = await siteParam(request, v);
      const month = monthParam(request);
      return act(reply, reviewBase(site, month), () => inspectionActions.sign(actorOf(request), site, month, { remark: one(request.body as Form, 'remark') ?? '' }));
    });
    app.post('/sites/:site/review/:month/confirm', async (request, reply) => {
      const v = requireViewer(request);
      const site = await siteParam(request, v);
      const month = monthParam(request);
      return act(reply, reviewBase(site, month), () => inspectionActions.confirm(actorOf(request), site, month, { remark: one(request.body as Form, 'remark') ?? '' }));
    });

    app.get('/sites/:site/devices/:host', async (request, reply) => {
      const v = viewerOr(request, reply);
      if (!v) return reply;
      const site = await siteParam(request, v);
      const lang = langOf(request);
      const d = await app.repos.devices.get(site, (request.params as { host: string }).host);
      if (!d) throw notFound('no such device');
      const range = rangeOf((request.query as { range?: unknown }).range);
      if (range === undefined) throw badRequest('bad_range', t(lang, 'badRange'));
      const shown = app.redactorFor(v.role);
      const now = app.clock().getTime();
      const from = now - range * 86_400_000;
      const trends = trendsOf((await queries.series(d.id, from, now + 1)), (await app.repos.reports.hourly(d.id, from, now + 1)));
      const zone = await zoneOf(site);
      const siteRow = await app.repos.sites.get(site);
      const identity = { hostname: d.hostname, kind: d.kind, addresses: [], ...(d.role ? { role: d.role } : {}) };
      const limits = {
        cpu: resolveThresholds('SXKR-001', CpuThresholds, siteRow?.thresholds, identity).values.peakMax,
        memory: resolveThresholds('SXKR-002', MemoryThresholds, siteRow?.thresholds, identity).values.usedMax,
      };
      const list = (await tickets.list({ site, device: d.hostname, limit: 20 }, app.clock())).map((tk) => shown.ticket(tk));
      const frame = { zone, from, to: now };
      const charts = { range, trends: trendCharts(lang, d.hostname, trends, limits, frame), checks: checkHistoryChart(lang, await app.repos.results.verdictsBetween(d.id, from, now + 1), frame) };
      const view = deviceView(lang, v, shown.device(d), (await app.repos.results.latest(d.id)).map((r) => ({ ...r, reportId: shown.reportId(r.reportId), result: shown.result(r.result) })), charts, list, zone);
      return page(reply, layout(lang, d.hostname, html`${view}${(await equipment.panel(request, v, d))}`, v, site));
    });

    /** The tickets list with its filters and the 报障 form (empty, or as typed with its refusal). */
    const ticketsPage = async (request: FastifyRequest, v: Viewer, site: string, report?: { form: FaultForm; errors: string[] }): Promise<SafeHtml> => {
      const lang = langOf(request);
      const now = app.clock();
      const shown = app.redactorFor(v.role);
      const q = parseTicketListQuery(request.query);
      const list = (await tickets.list({ site, ...(q.status === 'all' ? {} : { status: q.status }), ...(q.priority ? { priority: q.priority } : {}), ...(q.overdue ? { overdue: true } : {}), ...(q.device ? { device: q.device } : {}), limit: 500 }, now))
        .map((tk) => shown.ticket(tk))
        .filter((tk) => !q.assignee || tk.assignee === q.assignee)
        .filter((tk) => ticketMatches([tk.device ?? '', tk.subject, checkName('zh', tk.subject), checkName('en', tk.subject), symptomText('zh', tk.symptom), symptomText('en', tk.symptom)], q.search))
        .sort(byPriorityThenDeadline);
      const devices = (await app.repos.devices.listBySite(site)).map((d) => ({ hostname: d.hostname, kind: d.kind, model: d.model ?? null }));
      const form = faultReportForm(lang, v, `/sites/${encodeURIComponent(site)}/tickets?lang=${lang}`, devices, report?.form, report?.errors);
      const body = html`${ticketFilterForm(lang, q)}${ticketsTable(lang, site, list, now, (await zoneOf(site)))}${form}`;
      return layout(lang, `${t(lang, 'tickets')} · ${site}`, body, v, site);
    };
    app.get('/sites/:site/tickets', async (request, reply) => {
      const v = viewerOr(request, reply);
      if (!v) return reply;
      const site = await siteParam(request, v);
      return page(reply, (await ticketsPage(request, v, site)));
    });
    registerFaultReport(app, { actions: ticketActions, siteParam, page, ticketsPage, back: (site, id) => `/sites/${encodeURIComponent(site)}/tickets/${id}` });

    const ticketOf = async (request: FastifyRequest, v: Viewer) => {
      const site = await siteParam(request, v);
      const id = Number((request.params as { id: string }).id);
      if (!Number.isInteger(id) || id < 1) throw notFound(`no ticket ${id}`);
      await tickets.siteFor(id, site);
      return { site, id };
    };

    app.get('/sites/:site/tickets/:id', async (request, reply) => {
      const v = viewerOr(request, reply);
      if (!v) return reply;
      const { site, id } = await ticketOf(request, v);
      const lang = langOf(request);
      const now = app.clock();
      const people = v.role === 'customer' ? [] : await siteEngineers(app.repos, site);
      const notice = reportedNotice(lang, (request.query as { reported?: unknown }).reported, id);
      return page(reply, layout(lang, `${t(lang, 'tickets')} #${id}`, html`${notice}${ticketView(lang, v, site, app.redactorFor(v.role).ticket((await tickets.get(id, now))), now, (await zoneOf(site)), errorParam(request), people)}`, v, site));
    });

    const ticketBack = (site: string, id: number) => `/sites/${encodeURIComponent(site)}/tickets/${id}`;
    app.post('/sites/:site/tickets/:id/step/:step', async (request, reply) => {
      const v = requireViewer(request);
      const { site, id } = await ticketOf(request, v);
      const step = (request.params as { step: string }).step as StepName;
      if (!STEP_NAMES.includes(step)) throw notFound(`no step ${step}`);
      return act(reply, ticketBack(site, id), () => ticketActions.step(actorOf(request), id, step, one(request.body as Form, 'note')));
    });
    app.post('/sites/:site/tickets/:id/service-report', async (request, reply) => {
      const v = requireViewer(request);
      const { site, id } = await ticketOf(request, v);
      const f = request.body as Form;
      return act(reply, ticketBack(site, id), async () => {
        await ticketActions.addServiceReport(actorOf(request), id, {
          arrivedAt: isoOf(one(f, 'arrivedAt'), (await zoneOf(site)), 'arrivedAt'),
          workDone: one(f, 'workDone'),
          result: one(f, 'result'),
          ...(one(f, 'openIssues') ? { openIssues: one(f, 'openIssues') } : {}),
          ...(one(f, 'customerEvaluation') ? { customerEvaluation: one(f, 'customerEvaluation') } : {}),
        });
      });
    });
    app.post('/sites/:site/tickets/:id/parts', async (request, reply) => {
      const v = requireViewer(request);
      const { site, id } = await ticketOf(request, v);
      const f = request.body as Form;
      return act(reply, ticketBack(site, id), () => ticketActions.addPart(actorOf(request), id, { part: one(f, 'part'), oldSerial: one(f, 'oldSerial'), newSerial: one(f, 'newSerial') }));
    });
    registerTicketForms(app, { actions: ticketActions, ticketOf, act, back: ticketBack, isoOf, zoneOf });

    app.get('/sites/:site/maintenance', async (request, reply) => {
      const v = viewerOr(request, reply);
      if (!v) return reply;
      const site = await siteParam(request, v);
      const lang = langOf(request);
      const list = await maintenance.list({ site });
      const devices = (await app.repos.devices.listBySite(site)).map((d) => d.hostname);
      return page(reply, layout(lang, `${t(lang, 'maintenance')} · ${site}`, maintenanceView(lang, v, site, list, devices, (await zoneOf(site)), errorParam(request)), v, site));
    });
    app.post('/sites/:site/maintenance', async (request, reply) => {
      const v = requireViewer(request);
      const site = await siteParam(request, v);
      const f = request.body as Form;
      const devices = f.devices === undefined ? [] : Array.isArray(f.devices) ? f.devices : [f.devices];
      return act(reply, `/sites/${encodeURIComponent(site)}/maintenance`, async () => {
        await maintenanceActions.request(actorOf(request), {
          site,
          purpose: one(f, 'purpose'),
          engineer: one(f, 'engineer'),
          ...(one(f, 'recorder') ? { recorder: one(f, 'recorder') } : {}),
          steps: (one(f, 'steps') ?? '').split(/\r?\n/).map((s) => s.trim()).filter(Boolean),
          hardwareChanges: one(f, 'hardwareChanges') ?? '',
          softwareChanges: one(f, 'softwareChanges') ?? '',
          expectedDurationMinutes: Number(one(f, 'expectedDurationMinutes')),
          windowStart: isoOf(one(f, 'windowStart'), (await zoneOf(site)), 'windowStart'),
          windowEnd: isoOf(one(f, 'windowEnd'), (await zoneOf(site)), 'windowEnd'),
          devices,
          emergency: one(f, 'emergency') === 'true',
          rollbackPlan: one(f, 'rollbackPlan'),
          customerRepresentative: one(f, 'customerRepresentative'),
          removableMedia: one(f, 'removableMedia'),
        });
      });
    });
    // A request's own page and every step from it (approve, reject, cancel, start, complete, roll back).
    maintenancePages(app, maintenanceActions, { viewerOr, page, siteParam, act, zoneOf });
    overviewPages(app, { viewerOr, page, siteParam, act, zoneOf });

    app.get('/sites/:site/reports', async (request, reply) => {
      const v = viewerOr(request, reply);
      if (!v) return reply;
      const site = await siteParam(request, v);
      const lang = langOf(request);
      const zone = await zoneOf(site);
      const siteRow = (await app.repos.sites.get(site))!;
      const contractStart = (await app.repos.notify.settings(site)).contractStart;
      const choices = periodChoices(lang, app.clock().getTime(), siteRow.createdAt, zone, contractStart);
      // A period named in the query (a link from another page) is selected; a malformed one is a 400 page.
      const selected = selectedPeriods(request.query as Record<string, unknown>, choices);
      const siteTickets = await tickets.list({ site, limit: 500 }, app.clock());
      const entries = v.role === 'customer' ? [] : await audit.forSite(site, 50);
      const log = entries.length
        ? html`<h2>${t(lang, 'audit')}</h2><table class="grid" id="audit"><tbody>${entries.map(
            (e) => html`<tr><td>${formatTime(e.at, zone)}</td><td>${e.actor}</td><td>${term(lang, ROLE_TERMS, e.role)}</td><td>${auditAction(lang, e.action)}</td><td>${e.subject ?? ''}</td></tr>`,
          )}</tbody></table>`
        : '';
      return page(reply, layout(lang, `${t(lang, 'reports')} · ${siteRow.title || site}`, html`${reportsView(lang, { site, choices, selected, tickets: siteTickets, zone })}${log}`, v, site));
    });

    // Notification channels (collector/notify/channels): /notify/channels and its form posts.
    channelPages(app, () => app.notifyChannels);
    // A site's notifications: settings, rules, rota, escalation, dead letters (collector/notify).
    notifyPages(app, new NotifyActions(app), { viewerOr, page, siteParam, act, zoneOf }, {
      isoOf,
      // The channels a rule may name: the company's and this site's own (the action checks again).
      channelsFor: async (request, site) =>
        app.hasDecorator('notifyChannels') ? (await app.notifyChannels.list(actorOf(request))).filter((c) => c.site === null || c.site === site).map((c) => c.name) : [],
    });
  };
}
