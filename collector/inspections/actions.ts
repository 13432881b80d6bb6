import { InspectionAmend, InspectionMonth, InspectionNotes, InspectionRemark, InspectionUpload, validate, type Inspection, type InspectionUploadResult } from '../../schemas/index.js';
import { EDITORS } from '../auth.js';
import type { TokenRole } from '../repositories/index.js';
import { assertActorSite, assertRole, auditedChange, type ActionContext, type Actor } from '../users/index.js';
import { InspectionsRepository } from './repository.js';

/** Who may change a month's record — declared once for the API's `config.auth` and the dashboard. */
export const INSPECTION_ROLES = {
  upload: EDITORS,
  notes: EDITORS,
  sign: EDITORS,
  /** The customer's written confirmation: nobody else's. */
  confirm: ['customer'],
  amend: EDITORS,
} as const satisfies Record<string, readonly TokenRole[]>;

/**
 * Every change to a monthly inspection record, as the API and the dashboard both make it: role,
 * site, validation, the change and its audit entry (subject: the month) in one transaction.
 */
export class InspectionActions {
  readonly inspections: InspectionsRepository;

  constructor(private readonly ctx: ActionContext) {
    this.inspections = ctx.repos.inspections;
  }

  /** Checks role, site and month (a page's URL is not validated by a route schema); the time the change is stamped with. */
  private allowed(actor: Actor, step: keyof typeof INSPECTION_ROLES, site: string, month: string): number {
    assertRole(actor, INSPECTION_ROLES[step], `${step} of an inspection record`);
    assertActorSite(actor, site, `${step} the inspection of site ${site}`);
    validate(InspectionMonth, month, 'month');
    return this.ctx.clock().getTime();
  }

  async upload(actor: Actor, site: string, month: string, body: unknown): Promise<InspectionUploadResult> {
    const now = this.allowed(actor, 'upload', site, month);
    const forms = validate(InspectionUpload, body, 'inspection upload');
    return auditedChange(
      this.ctx,
      actor,
      () => this.inspections.upload(site, month, forms, actor.name, now),
      // An upload already stored changed nothing: no entry.
      (r) => (r.accepted.length ? { action: 'inspection.upload', site, subject: month, detail: `${r.accepted.length} forms` } : null),
    );
  }

  async setNotes(actor: Actor, site: string, month: string, body: unknown): Promise<Inspection> {
    const now = this.allowed(actor, 'notes', site, month);
    const { notes } = validate(InspectionNotes, body, 'notes');
    return auditedChange(this.ctx, actor, () => this.inspections.setNotes(site, month, notes, actor.name, now), () => ({ action: 'inspection.notes', site, subject: month }));
  }

  /** The engineer's sign-off, with the remark written in its confirmation dialog (kept on the revision and in the audit). */
  async sign(actor: Actor, site: string, month: string, body: unknown = {}): Promise<Inspection> {
    const now = this.allowed(actor, 'sign', site, month);
    const remark = remarkOf(body);
    return auditedChange(this.ctx, actor, () => this.inspections.sign(site, month, actor.name, now, remark), (i) => ({ action: 'inspection.sign', site, subject: month, detail: auditDetail(i.revision, remark) }));
  }

  /** The customer's confirmation, with its remark, like the sign-off. */
  async confirm(actor: Actor, site: string, month: string, body: unknown = {}): Promise<Inspection> {
    const now = this.allowed(actor, 'confirm', site, month);
    const remark = remarkOf(body);
    return auditedChange(this.ctx, actor, () => this.inspections.confirm(site, month, actor.name, now, remark), (i) => ({ action: 'inspection.confirm', site, subject: month, detail: auditDetail(i.revision, remark) }));
  }

  async amend(actor: Actor, site: string, month: string, body: unknown): Promise<Inspection> {
    const now = this.allowed(actor, 'amend', site, month);
    const { reason } = validate(InspectionAmend, body, 'amendment');
    return auditedChange(this.ctx, actor, () => this.inspections.amend(site, month, reason, actor.name, now), () => ({ action: 'inspection.amend', site, subject: month, detail: reason }));
  }
}

/** The dialog's remark: blank (or none) is no remark; a body that is not an object is none too (an old client's empty POST). */
function remarkOf(body: unknown): string | null {
  const { remark } = validate(InspectionRemark, body === undefined || body === null ? {} : body, 'remark');
  return remark?.trim() ? remark.trim() : null;
}

const auditDetail = (revision: number, remark: string | null) => (remark ? `revision ${revision}: ${remark}` : `revision ${revision}`);
