import type { FastifyInstance } from 'fastify';
import { overallVerdict } from '../../../checks/index.js';
import type { InspectionStatus } from '../../../schemas/index.js';
import { monthBounds, monthOf, type InspectionsRepository } from '../../inspections/index.js';
import type { DeviceRow } from '../../repositories/index.js';
import type { Ticket } from '../../../schemas/index.js';
import { html } from '../../html/index.js';
import { formatTime } from '../../reports/index.js';
import { langOf, t } from '../i18n.js';
import { layout } from './layout.js';
import type { PageKit } from './page-kit.js';
import type { SiteSummary } from './views.js';

/** The day of the next month by which a month's record is signed, unless configured (`signOffDueDay`). */
export const DEFAULT_SIGN_OFF_DUE_DAY = 5;
const DAY = 86_400_000;

/**
 * The month whose inspection record should be signed by now and is not, or null: from the day
 * after `dueDay` of a month, the month before it needs a signed (or confirmed) record — if the
 * site had a device on record before that month ended (`firstSeen`, null: none). Months are the
 * inspection records' own (collector/inspections/month.ts), so they are cut where the records
 * are. Pure.
 */
export function unsignedMonth(now: number, dueDay: number, statusOf: (month: string) => InspectionStatus | undefined, firstSeen: number | null, zone: string): string | null {
  const { start } = monthBounds(monthOf(now, zone), zone);
  const dayOfMonth = Math.floor((now - start) / DAY) + 1;
  if (dayOfMonth <= dueDay || firstSeen === null || firstSeen >= start) return null;
  const previous = monthOf(start - 1, zone);
  const status = statusOf(previous);
  return status === 'signed' || status === 'confirmed' ? null : previous;
}

/** The devices of a site with no result since the month of `now` began (never reported included), by hostname. */
export async function devicesWithoutResult(app: FastifyInstance, devices: DeviceRow[], now: number, zone: string): Promise<DeviceRow[]> {
  const { start } = monthBounds(monthOf(now, zone), zone);
  const without: DeviceRow[] = [];
  for (const d of devices) if (!(await app.repos.results.latest(d.id)).some((r) => r.at >= start)) without.push(d);
  return without;
}

/** One row of the sites overview (the `/` page): counts, tickets, the last record and what is overdue. */
export async function siteSummary(
  app: FastifyInstance,
  inspections: InspectionsRepository,
  site: { name: string; title: string | null; timeZone: string },
  active: Ticket[],
  now: number,
): Promise<SiteSummary> {
  const devices = await app.repos.devices.listBySite(site.name);
  const zone = site.timeZone;
  const { start } = monthBounds(monthOf(now, zone), zone);
  let abnormal = 0;
  let unknown = 0;
  let withoutResult = 0;
  for (const d of devices) {
    const latest = await app.repos.results.latest(d.id);
    if (!latest.some((r) => r.at >= start)) withoutResult++;
    const verdict = latest.length ? overallVerdict(latest.map((r) => r.result)) : 'unknown';
    if (verdict === 'abnormal') abnormal++;
    else if (verdict === 'unknown') unknown++;
  }
  const mine = active.filter((tk) => tk.site === site.name);
  const months = await inspections.months(site.name);
  const last = months[0];
  const dueDay = app.config.signOffDueDay ?? DEFAULT_SIGN_OFF_DUE_DAY;
  return {
    name: site.name,
    title: site.title,
    devices: devices.length,
    abnormal,
    unknown,
    openTickets: mine.length,
    overdueTickets: mine.filter((tk) => tk.overdue).length,
    lastInspection: last ? { month: last.month, status: last.status } : null,
    unsignedMonth: unsignedMonth(now, dueDay, (m) => months.find((x) => x.month === m)?.status, devices.length ? Math.min(...devices.map((d) => d.firstSeen)) : null, zone),
    month: monthOf(now, zone),
    withoutResult,
  };
}

/** `/sites/:site/unreported`: the devices with no result this month, where the overview's count links. */
export function overviewPages(app: FastifyInstance, kit: PageKit): void {
  app.get('/sites/:site/unreported', async (request, reply) => {
    const v = kit.viewerOr(request, reply);
    if (!v) return reply;
    const site = await kit.siteParam(request, v);
    const lang = langOf(request);
    const now = app.clock().getTime();
    const zone = await app.repos.sites.timeZoneOf(site);
    const month = monthOf(now, zone);
    const missing = await Promise.all(
      (await devicesWithoutResult(app, await app.repos.devices.listBySite(site), now, zone)).map(async (d) => {
        const last = Math.max(0, ...(await app.repos.results.latest(d.id)).map((r) => r.at));
        return { hostname: d.hostname, lastResult: last ? new Date(last).toISOString() : null };
      }),
    );
    const title = `${t(lang, 'devicesWithoutResult')} · ${site} · ${month}`;
    const rows = missing.map(
      (d) => html`<tr data-device="${d.hostname}"><td><a href="/sites/${encodeURIComponent(site)}/devices/${encodeURIComponent(d.hostname)}">${d.hostname}</a></td><td>${d.lastResult ? formatTime(d.lastResult, zone) : t(lang, 'never')}</td></tr>`,
    );
    const body = missing.length
      ? html`<table class="grid" id="unreported"><thead><tr><th>${t(lang, 'deviceColumn')}</th><th>${t(lang, 'lastResult')}</th></tr></thead><tbody>${rows}</tbody></table>`
      : html`<p class="muted">${t(lang, 'none')}</p>`;
    return kit.page(reply, layout(lang, title, body, v, site));
  });
}
