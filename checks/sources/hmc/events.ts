/*
 * `lssvcevents -t hardware --filter "status=open"` in its default attribute=value form: the
 * serviceable hardware events the HMC holds open, and which check each belongs to.
 */
import type { CheckId } from '../../../schemas/index.js';
import { attributeLine, isNoResults } from './records.js';
import type { ManagedSystem } from './systems.js';

export const LSSVCEVENTS = 'lssvcevents -t hardware --filter "status=open"';

export interface ServiceableEvent {
  problem: string;
  refcode: string;
  status: string;
  /** As the HMC prints it: `MM/DD/YYYY hh:mm:ss`, the console's local time. */
  firstTime: string;
  text: string;
  /** Every machine type-model/serial the event names (failing, enclosure, system). */
  mtms: string[];
  sysName: string;
}

/** The events listed, or the first line that is not an event record. */
export function parseServiceableEvents(text: string): { events: ServiceableEvent[] } | { unparsed: string } {
  if (isNoResults(text)) return { events: [] };
  const events: ServiceableEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const a = attributeLine(line.trim());
    if (!a || !a.has('problem_num')) return { unparsed: line.trim() };
    events.push({
      problem: a.get('problem_num')!,
      refcode: a.get('refcode') ?? '',
      status: a.get('status') ?? '',
      firstTime: a.get('first_time') ?? '',
      text: a.get('text') ?? '',
      mtms: ['failing_mtms', 'enclosure_mtms', 'sys_mtms'].map((k) => a.get(k) ?? '').filter(Boolean),
      sysName: a.get('sys_name') ?? '',
    });
  }
  return { events };
}

/**
 * Whether an event concerns this server. `sys_name` can be the reporting console rather than the
 * server (technote N1014321: `sys_name=ivm1sdmc`, `failing_mtms=8286-41A/TU20305`), so the
 * server's type-model/serial is matched as well as its name.
 */
export function concerns(e: ServiceableEvent, s: ManagedSystem): boolean {
  const mtms = `${s.typeModel}/${s.serial}`.toLowerCase();
  return e.sysName === s.name || e.mtms.some((m) => m.toLowerCase() === mtms);
}

export type EventKind = { check: Extract<CheckId, 'SXKR-004' | 'SXKR-005'>; metric: 'psu.state' | 'fan.state' | 'thermal.state'; part: string } | undefined;

// The words decide first: the refcode alone does not say power from cooling.
const THERMAL = /temperature|thermal|overheat|over-?temp/i;
const FAN = /\bfans?\b|blower|air moving|cooling/i;
const POWER = /power supply|\bpsu\b|power source|ac (input|power|loss)|voltage|regulator|\bvrm\b|power (fault|failure|loss)|battery/i;

/**
 * SXKR-004 (power supply or fan) or SXKR-005 (temperature) for an event about them; undefined
 * for every other event (it is SXKR-006 only). A refcode of the system power control network
 * (`1xxxxxxx`, IBM's SPCN reference codes: power and cooling) without telling words counts as power.
 */
export function eventKind(e: ServiceableEvent): EventKind {
  if (THERMAL.test(e.text)) return { check: 'SXKR-005', metric: 'thermal.state', part: 'thermal' };
  if (FAN.test(e.text)) return { check: 'SXKR-004', metric: 'fan.state', part: 'fan' };
  if (POWER.test(e.text) || /^1[0-9A-F]{7}$/i.test(e.refcode)) return { check: 'SXKR-004', metric: 'psu.state', part: 'power' };
  return undefined;
}

/** `MM/DD/YYYY hh:mm:ss` at the console's UTC offset (`+0800`) as an instant; undefined if not that form. */
export function eventInstant(text: string, offset: string): Date | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4}) (\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(offset.trim());
  if (!m || !z) return undefined;
  const local = Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]));
  const shift = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3])) * 60_000;
  const at = new Date(local - shift);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
