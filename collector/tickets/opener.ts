import type { DeviceKind, TicketSubject } from '../../schemas/index.js';
import type { MaintenanceRepository } from '../maintenance/repository.js';
import type { Repositories } from '../repositories/index.js';
import { priorityFor } from './priority.js';
import { SYSTEM, type TicketsRepository } from './repository.js';
import { isEmergency } from './sla.js';

export interface FaultDevice {
  id: number;
  site: string;
  hostname: string;
  kind: DeviceKind;
  role: string | null;
  model: string | null;
}

/** A ticket still open (not closed) for a device and subject. */
export interface OpenTicket {
  id: number;
  recoveredAt: number | null;
}

export type FaultOutcome =
  | { action: 'opened'; ticketId: number }
  | { action: 'relapsed' | 'still_open'; ticketId: number }
  | { action: 'suppressed'; maintenanceId: number };

/**
 * What the system does when a device × subject is faulty (an abnormal check, or silence) and when
 * it is fine again. Shared by the ingest hook and the silence scan so both follow one rule:
 * one ticket per device and subject while open; an approved maintenance window opens none.
 */
export class FaultTickets {
  readonly tickets: TicketsRepository;
  readonly maintenance: MaintenanceRepository;

  constructor(repos: Pick<Repositories, 'tickets' | 'maintenance'>) {
    this.tickets = repos.tickets;
    this.maintenance = repos.maintenance;
  }

  /** `at`: when the fault was seen (the report's window end) — what a maintenance window is tested against. */
  /** `open`: the device's open ticket for the subject when the caller already read it (null: none). */
  async fault(device: FaultDevice, subject: TicketSubject, symptom: string, at: number, now: number, open?: OpenTicket | null): Promise<FaultOutcome> {
    const active = open === undefined ? await this.tickets.active(device.id, subject) : open ?? undefined;
    if (active) {
      if (active.recoveredAt === null) return { action: 'still_open', ticketId: active.id };
      await this.tickets.relapsed(active.id, now, symptom);
      return { action: 'relapsed', ticketId: active.id };
    }
    const maintenanceId = await this.maintenance.covering(device.site, device.hostname, at);
    if (maintenanceId !== undefined) return { action: 'suppressed', maintenanceId };
    const sla = await this.tickets.sla(device.site);
    const priority = priorityFor({ subject, kind: device.kind, role: device.role }, sla.priorityRules);
    const ticketId = await this.tickets.open({
      deviceId: device.id,
      subject,
      priority,
      emergency: isEmergency(priority, sla),
      symptom,
      deviceModel: device.model,
      sla,
      by: SYSTEM,
      at: now,
    });
    return { action: 'opened', ticketId };
  }

  /** The subject is normal again: the open ticket shows when (a person still closes it). */
  async fine(deviceId: number, subject: TicketSubject, now: number, note: string, open?: OpenTicket | null): Promise<number | undefined> {
    const active = open === undefined ? await this.tickets.active(deviceId, subject) : open ?? undefined;
    if (!active || active.recoveredAt !== null) return undefined;
    await this.tickets.recovered(active.id, now, note);
    return active.id;
  }
}
