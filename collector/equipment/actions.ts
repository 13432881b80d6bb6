import { DeviceRecordPatch, FirmwareBaseline, FirmwareEntry, ManualDevice, UpgradeVerdictInput, validate } from '../../schemas/index.js';
import { EDITORS } from '../auth.js';
import { badRequest, notFound } from '../errors.js';
import type { DeviceRow, TokenRole } from '../repositories/index.js';
import { changeDetail } from '../identity/index.js';
import { actorSees, assertActorSite, assertRole, auditedChange, type ActionContext, type Actor } from '../users/index.js';
import { FirmwareRepository, type BaselineRow, type FirmwareStep } from './firmware.js';
import { recommend, type UpgradeRecommendation } from './recommendation.js';

/** Who may change the equipment record: the service company's engineers and admins; customers read. */
export const EQUIPMENT_ROLES = {
  edit: EDITORS,
} as const satisfies Record<string, readonly TokenRole[]>;

/**
 * Every change to the equipment record as the API and the dashboard both make it: role, site,
 * validation, the change and its audit entry in one transaction.
 */
export class EquipmentActions {
  readonly firmware: FirmwareRepository;

  constructor(private readonly ctx: ActionContext) {
    this.firmware = ctx.repos.firmware;
  }

  /** The device, when the actor may see its site; another site's device answers as a missing one. */
  async device(actor: Actor, site: string, hostname: string): Promise<DeviceRow> {
    const d = await actorSees(actor, site) ? (await this.ctx.repos.devices.get(site, hostname)) : undefined;
    if (!d) throw notFound(`no device ${hostname} at site ${site}`);
    return d;
  }

  private editable(actor: Actor, site: string, what: string): void {
    assertRole(actor, EQUIPMENT_ROLES.edit, what);
    assertActorSite(actor, site, `${what} at site ${site}`);
  }

  /** The role first (a customer is told it may not), then the device (another site's is a missing one). */
  private async editableDevice(actor: Actor, site: string, hostname: string, what: string): Promise<DeviceRow> {
    assertRole(actor, EQUIPMENT_ROLES.edit, what);
    return this.device(actor, site, hostname);
  }

  /** A device put on record by hand (409 when its name is already on record at the site). */
  async create(actor: Actor, site: string, body: unknown): Promise<DeviceRow> {
    this.editable(actor, site, 'adding a device');
    const input = validate(ManualDevice, body, 'device');
    const now = this.ctx.clock().getTime();
    return auditedChange(
      this.ctx,
      actor,
      async () => (await this.ctx.repos.devices.createManual(site, { ...input, by: actor.name }, now)),
      (d) => ({ action: 'device.create', site, subject: d.hostname, detail: changeDetail(input) }),
    );
  }

  async edit(actor: Actor, site: string, hostname: string, body: unknown): Promise<DeviceRow> {
    const d = await this.editableDevice(actor, site, hostname, 'editing a device');
    const input = validate(DeviceRecordPatch, body, 'device record');
    return auditedChange(
      this.ctx,
      actor,
      async () => (await this.ctx.repos.devices.updateRecord(d.id, input, actor.name, this.ctx.clock().getTime()))!,
      () => ({ action: 'device.update', site, subject: hostname, detail: changeDetail(input) }),
    );
  }

  /** A firmware step by hand: kept in the history with who and when, and it becomes the record's firmware. */
  async recordFirmware(actor: Actor, site: string, hostname: string, body: unknown): Promise<FirmwareStep[]> {
    const d = await this.editableDevice(actor, site, hostname, 'recording firmware');
    const input = validate(FirmwareEntry, body, 'firmware entry');
    const now = this.ctx.clock().getTime();
    const at = input.at !== undefined ? Date.parse(input.at) : now;
    if (at > now + 60_000) throw badRequest('future_time', `at ${input.at} is in the future`, { key: 'timeInFuture', args: {} });
    await auditedChange(
      this.ctx,
      actor,
      async () => {
        await this.firmware.record(d.id, input.firmware, at, actor.name, input.note ?? null);
        await this.ctx.repos.devices.updateRecord(d.id, { firmware: input.firmware }, actor.name, now);
      },
      () => ({ action: 'device.firmware', site, subject: hostname, detail: changeDetail(input) }),
    );
    return this.firmware.historyOf(d.id);
  }

  /** "Upgrade needed" (a reason is required), "not needed", or null to clear. */
  async setUpgrade(actor: Actor, site: string, hostname: string, body: unknown): Promise<DeviceRow> {
    const d = await this.editableDevice(actor, site, hostname, 'an upgrade verdict');
    const input = validate(UpgradeVerdictInput, body, 'upgrade verdict');
    if (input.needed === true && !input.reason?.trim()) throw badRequest('reason_required', 'an "upgrade needed" verdict needs its reason', { key: 'upgradeReason', args: {} });
    return auditedChange(
      this.ctx,
      actor,
      async () => (await this.ctx.repos.devices.setUpgrade(d.id, input.needed, input.reason?.trim() || null, actor.name, this.ctx.clock().getTime()))!,
      () => ({ action: 'device.upgrade', site, subject: hostname, detail: changeDetail(input) }),
    );
  }

  async setBaseline(actor: Actor, site: string, body: unknown): Promise<BaselineRow[]> {
    this.editable(actor, site, 'setting a firmware baseline');
    const input = validate(FirmwareBaseline, body, 'firmware baseline');
    if (!(await this.ctx.repos.sites.get(site))) throw notFound(`no site ${site}`);
    await auditedChange(
      this.ctx,
      actor,
      () => this.firmware.setBaseline(site, input.model, input.firmware, input.note ?? null, actor.name, this.ctx.clock().getTime()),
      () => ({ action: 'firmware.baseline', site, subject: input.model, detail: changeDetail(input) }),
    );
    return this.firmware.baselinesOf(site);
  }

  async devicesOf(site: string): Promise<DeviceRow[]> {
    return await this.ctx.repos.devices.listBySite(site);
  }

  /** The device's upgrade recommendation against its site's baselines. */
  async recommendation(d: DeviceRow, baselines?: BaselineRow[]): Promise<UpgradeRecommendation> {
    return recommend(d, baselines ?? (await this.firmware.baselinesOf(d.site)));
  }
}
