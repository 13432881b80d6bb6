import type { Store } from '../storage/store.js';
import { DEFAULT_TIME_ZONE } from '../../checks/index.js';
import type { NotifyEvent, Priority } from '../../schemas/index.js';
import { MaintenanceRepository } from '../maintenance/index.js';
import type { Repositories } from '../repositories/index.js';
import { TicketsRepository } from '../tickets/index.js';
import type { MessageFacts } from './catalogue.js';
import type { EventRow } from './repository.js';

/** Where a message's link points: the dashboard page a person acts on. */
export function linkFor(base: string, e: Pick<EventRow, 'site' | 'ticketId' | 'requestId' | 'kind'>, month?: string): string {
  const site = `${base}/sites/${encodeURIComponent(e.site)}`;
  if (e.ticketId !== null) return `${site}/tickets/${e.ticketId}`;
  if (e.requestId !== null) return `${site}/maintenance`;
  if (month) return `${site}/review?month=${month}`;
  return `${site}/tickets`;
}

/**
 * The facts of one journal event, read from the tables of the part that raised it (tickets,
 * maintenance, inspections). Undefined when the thing it names is gone (never deleted today).
 */
export class FactsReader {
  private readonly tickets: TicketsRepository;
  private readonly maintenance: MaintenanceRepository;

  constructor(
    private readonly store: Store,
    private readonly repos: Repositories,
  ) {
    this.tickets = repos.tickets;
    this.maintenance = repos.maintenance;
  }

  async read(e: EventRow, base: string, now: Date): Promise<(MessageFacts & { priority?: Priority }) | undefined> {
    const siteRow = await this.repos.sites.get(e.site);
    const customer = siteRow?.title || e.site;
    const d = e.detail;
    const common = { kind: e.kind as NotifyEvent, site: e.site, customer, zone: siteRow?.timeZone ?? DEFAULT_TIME_ZONE };
    if (e.ticketId !== null) {
      const t = await this.tickets.get(e.ticketId, now);
      const which = d.deadline as MessageFacts['deadline'] | undefined;
      const due = which ? t.deadlines[which].due : (t.deadlines.recovery.due ?? t.deadlines.response.due);
      return {
        ...common,
        ticketId: t.id,
        ...(t.device ? { device: t.device } : {}),
        subject: t.subject,
        priority: t.priority,
        symptom: t.symptom,
        due: due ? Date.parse(due) : null,
        ...(which ? { deadline: which } : {}),
        ...(typeof d.fraction === 'number' ? { fraction: d.fraction } : {}),
        ...(typeof d.step === 'number' ? { step: d.step } : {}),
        link: linkFor(base, e),
      };
    }
    if (e.requestId !== null) {
      const r = await this.maintenance.get(e.requestId);
      return {
        ...common,
        requestId: r.id,
        purpose: r.purpose,
        ...(r.status === 'approved' || r.status === 'rejected' ? { decision: r.status } : {}),
        // An emergency change is urgent: quiet hours must not hold it.
        ...(r.emergency ? { priority: 'P2' as const } : {}),
        link: linkFor(base, e),
      };
    }
    const month = e.inspectionId !== null ? (await this.store.get<{ month: string }>('SELECT month FROM inspections WHERE id = ?', [e.inspectionId]))?.month : (d.month as string | undefined);
    return { ...common, ...(month ? { month } : {}), ...(d.yearEnd ? { yearEnd: String(d.yearEnd) } : {}), link: linkFor(base, e, month) };
  }
}
