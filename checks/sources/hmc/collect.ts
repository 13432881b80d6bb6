/*
 * IBM Power servers through their Hardware Management Console, over SSH: the managed system's
 * state, type-model and serial (`lssyscfg`), and the serviceable hardware events the HMC holds
 * open for it (`lssvcevents`). The server's service processor watches its power supplies, fans
 * and temperatures and opens such an event on any fault, so:
 * - SXKR-004: an open power or fan event is a fault; none is "no open power or cooling event";
 * - SXKR-005: an open thermal event is a fault; none is "no open thermal event" (`thermal.state`);
 * - SXKR-006: every open event is listed, with whether it is new since the last inspection;
 * - SXKR-003: the managed system's state.
 * An HMC that cannot be reached, a command that fails or prints what we cannot read, a server the
 * HMC does not know or cannot talk to: the affected checks are unknown with the reason.
 */
import { randomBytes } from 'node:crypto';
import type { CheckId, DeviceIdentity, Gap, Measurement, Report } from '../../../schemas/index.js';
import { clip } from '../parsers/index.js';
import { openSshSession, type CommandResult, type SshConnectOptions, type SshSession } from '../ssh/index.js';
import { concerns, eventInstant, eventKind, LSSVCEVENTS, parseServiceableEvents, type ServiceableEvent } from './events.js';
import { hmcError } from './records.js';
import { findSystem, judgeSystemState, LSSYSCFG, parseManagedSystems, type ManagedSystem } from './systems.js';

export const PRODUCER = 'xunjian-inspect/0.1.0';
/** What the HMC answers for: the system's state and the service processor's events. */
export const HMC_CHECKS: CheckId[] = ['SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006'];
const EVENT_CHECKS: CheckId[] = ['SXKR-004', 'SXKR-005', 'SXKR-006'];

/** The HMC to log in to (credentials as for any SSH server) and the managed system to read. */
export interface HmcTarget extends SshConnectOptions {
  /** The managed system's name on the HMC, or its `type-model*serial`. */
  managedSystem: string;
  identity: DeviceIdentity;
  site?: string;
}

export interface CollectHmcOptions {
  now?: Date;
  /** The last inspection: events first seen before it were already open then. Default 31 days before now. */
  logSince?: Date;
}

/** The HMC's report on one server (source `bmc`: an out-of-band view of its hardware). */
export function hmcReport(identity: DeviceIdentity, site: string | undefined, start: Date, end: string, measurements: Measurement[], gaps: Gap[]): Report {
  return {
    id: `bmc-${identity.hostname.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 50)}-${start.getTime()}-${randomBytes(4).toString('hex')}`,
    source: 'bmc',
    ...(site ? { site } : {}),
    window: { start: start.toISOString(), end },
    identity,
    measurements: measurements.slice(0, 20_000),
    gaps: gaps.slice(0, 1000),
    producer: PRODUCER,
  };
}

/** The command's failure in one line, or undefined when it answered. */
function failure(r: CommandResult): string | undefined {
  // An HMC message alone is a failure; beside records (public scripts filter `HSCL` lines out of
  // lssyscfg's list) it concerns another system, and the parser skips it.
  const records = r.stdout.split('\n').filter((l) => l.trim() && !hmcError(l));
  const said = hmcError(r.stderr) ?? (records.length === 0 ? hmcError(r.stdout) : undefined);
  if (said) return said;
  if (r.code === 0) return undefined;
  const text = (r.stderr.trim() || r.stdout.trim()).split('\n')[0];
  return `exit ${r.code}${text ? `: ${text}` : ''}`;
}

export async function collectHmc(target: HmcTarget, opts: CollectHmcOptions = {}): Promise<Report> {
  const t0 = Date.now();
  const start = opts.now ?? new Date();
  const clock = () => new Date(start.getTime() + (Date.now() - t0)).toISOString();
  const since = opts.logSince ?? new Date(start.getTime() - 31 * 86_400_000);
  const where = `HMC ${target.host}:${target.port ?? 22}`;
  const shown = (cmd: string) => `${cmd} (${where})`;
  const identity: DeviceIdentity = { ...target.identity, addresses: [...(target.identity.addresses ?? [])] };
  const measurements: Measurement[] = [];
  const gaps: Gap[] = [];
  const unknown = (checks: CheckId[], reason: string, command?: string) => {
    for (const check of checks) gaps.push({ check, reason: clip(`${where}, managed system ${target.managedSystem}: ${reason}`, 2000), ...(command ? { command: shown(command) } : {}) });
  };
  const report = (): Report => hmcReport(identity, target.site, start, clock(), measurements, gaps);

  let session: SshSession;
  try {
    session = await openSshSession(target);
  } catch (e) {
    unknown(HMC_CHECKS, (e as Error).message);
    return report();
  }
  try {
    const system = await readSystem(session, target, unknown);
    if (!system) return report();
    for (const key of ['model', 'serial'] as const) if (!identity[key]) identity[key] = key === 'model' ? system.typeModel : system.serial;
    if (!identity.vendor) identity.vendor = 'IBM';
    const state = judgeSystemState(system.state);
    measurements.push({ check: 'SXKR-003', component: `managed system ${system.name}`, metric: 'module.state', value: system.state, status: state.status, command: shown(LSSYSCFG), at: clock() });
    if (state.blind) {
      unknown(EVENT_CHECKS, `${state.blind}; its serviceable events cannot be read`, LSSYSCFG);
      return report();
    }
    const listed = await session.exec(LSSVCEVENTS);
    const failed = failure(listed);
    if (failed) {
      unknown(EVENT_CHECKS, `${LSSVCEVENTS} failed: ${failed}`, LSSVCEVENTS);
      return report();
    }
    const parsed = parseServiceableEvents(listed.stdout);
    if ('unparsed' in parsed) {
      unknown(EVENT_CHECKS, `${LSSVCEVENTS} printed a line that is not an event record: ${clip(parsed.unparsed, 300)}`, LSSVCEVENTS);
      return report();
    }
    const zone = await session.exec('date +%z').catch(() => undefined);
    const offset = zone && zone.code === 0 ? zone.stdout.trim() : '';
    const events = parsed.events.filter((e) => concerns(e, system));
    measurements.push(...eventMeasurements(events, system, { offset, since, at: clock(), command: shown(LSSVCEVENTS) }));
  } catch (e) {
    // A dropped connection or a command that never answered.
    const missing = HMC_CHECKS.filter((c) => !measurements.some((m) => m.check === c) && !gaps.some((g) => g.check === c));
    unknown(missing, (e as Error).message);
  } finally {
    session.close();
  }
  return report();
}

async function readSystem(session: SshSession, target: HmcTarget, unknown: (checks: CheckId[], reason: string, command?: string) => void): Promise<ManagedSystem | undefined> {
  const listed = await session.exec(LSSYSCFG);
  const failed = failure(listed);
  if (failed) {
    unknown(HMC_CHECKS, `${LSSYSCFG} failed: ${failed}`, LSSYSCFG);
    return undefined;
  }
  const parsed = parseManagedSystems(listed.stdout);
  if ('unparsed' in parsed) {
    unknown(HMC_CHECKS, `${LSSYSCFG} printed a line that is not name,type_model,serial_num,state: ${clip(parsed.unparsed, 300)}`, LSSYSCFG);
    return undefined;
  }
  const system = findSystem(parsed.systems, target.managedSystem);
  if (!system) {
    const names = parsed.systems.map((s) => s.name).join(', ') || 'none';
    unknown(HMC_CHECKS, `the HMC manages no system of this name (it manages: ${clip(names, 500)})`, LSSYSCFG);
  }
  return system;
}

interface EventContext {
  /** The HMC's UTC offset (`date +%z`); empty when it could not be read. */
  offset: string;
  since: Date;
  at: string;
  command: string;
}

/** SXKR-004/005 state per open event (or one "none open" each) and SXKR-006 every open event. */
export function eventMeasurements(events: ServiceableEvent[], system: ManagedSystem, ctx: EventContext): Measurement[] {
  const out: Measurement[] = [];
  const base = { command: clip(ctx.command, 1000), at: ctx.at };
  const described = (e: ServiceableEvent) => clip(`${e.refcode}: ${e.text || '(no text)'}`, 4000);
  for (const e of events) {
    const kind = eventKind(e);
    if (kind) out.push({ check: kind.check, component: `${kind.part} (HMC problem ${e.problem})`, metric: kind.metric, value: described(e), status: 'fault', detail: `open serviceable event since ${e.firstTime} (HMC time)`, ...base });
  }
  if (!out.some((m) => m.check === 'SXKR-004')) {
    out.push({ check: 'SXKR-004', component: 'power and cooling', metric: 'psu.state', value: 'no open power or cooling serviceable event', status: 'ok', detail: `the service processor of ${system.name} opens a serviceable event on any power supply or fan fault`, ...base });
  }
  if (!out.some((m) => m.check === 'SXKR-005')) {
    out.push({ check: 'SXKR-005', component: 'thermal', metric: 'thermal.state', value: 'no open thermal serviceable event', status: 'ok', detail: `the service processor of ${system.name} opens a serviceable event when a temperature leaves its limits`, ...base });
  }
  out.push({ check: 'SXKR-006', component: 'HMC serviceable events', metric: 'log.scanned', value: events.length, detail: `open hardware events of ${system.name}`, ...base });
  for (const e of events) {
    const instant = ctx.offset ? eventInstant(e.firstTime, ctx.offset) : undefined;
    const when = instant
      ? instant.getTime() >= ctx.since.getTime()
        ? `new since the last inspection (${ctx.since.toISOString()})`
        : `already open at the last inspection (${ctx.since.toISOString()}) and still open`
      : ctx.offset
        ? 'first time not in the HMC form MM/DD/YYYY hh:mm:ss: whether it is new since the last inspection is unknown'
        : "the HMC's time zone could not be read (date +%z): whether it is new since the last inspection is unknown";
    out.push({
      check: 'SXKR-006',
      component: `HMC problem ${e.problem}`,
      metric: 'log.entry',
      value: described(e),
      severity: 'error',
      detail: clip(`open since ${e.firstTime} (HMC time); ${when}`, 2000),
      ...base,
      ...(instant ? { at: instant.toISOString() } : {}),
    });
  }
  return out;
}
