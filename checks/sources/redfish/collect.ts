/*
 * Inspects one server through its management controller over Redfish: power supplies and fans
 * (SXKR-004), temperatures against the BMC's own limits (SXKR-005), processors, memory, storage
 * controllers and drives (SXKR-003), hardware event logs since the last inspection (SXKR-006),
 * and model, serial, BIOS and BMC firmware for the equipment record.
 *
 * It follows links from the service root to exactly the resources it needs — never a crawl of the
 * tree — asks collections with `$expand` where the root says it is supported, and counts every
 * request. A resource that fails (404, 500, bad JSON) makes only its check unknown with the
 * reason; an unreachable controller, refused credentials, a timeout or a changed certificate make
 * every check the BMC answers for unknown. Never throws for the controller's sake.
 */
import { randomBytes } from 'node:crypto';
import type { CheckId, DeviceIdentity, Gap, Measurement, RedfishProfile, Report } from '../../../schemas/index.js';
import { clip, gap, type ParseContext, type ParseResult } from '../parsers/index.js';
import { RedfishClient, type Json, type RedfishConnection, type RequestCounts } from './client.js';
import { RedfishAuthError, RedfishCertificateError, RedfishTimeoutError, RedfishUnreachableError } from './errors.js';
import {
  extractFan,
  extractLogEntries,
  extractModule,
  extractPower,
  extractPowerSubsystem,
  extractPowerSupply,
  extractSimpleStorage,
  extractTemperatureSensor,
  extractThermal,
  extractThermalSubsystem,
  isTemperatureSensor,
} from './extract.js';
import { builtinRedfishProfiles, detectRedfishProfile } from './profiles.js';

export const PRODUCER = 'xunjian-inspect/0.1.0';

/** The checks a management controller answers for (CPU load and memory use are the OS's). */
export const BMC_CHECKS: CheckId[] = ['SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006'];

export interface RedfishTarget extends RedfishConnection {
  identity: DeviceIdentity;
  site?: string;
  /** A profile name to use instead of detecting one. */
  profile?: string;
}

export interface CollectRedfishOptions {
  /** Reading time of the inspection (tests). Default: now. */
  now?: Date;
  /** Log entries before this belong to an earlier inspection. Default: 31 days before now. */
  logSince?: Date;
  profiles?: RedfishProfile[];
}

export interface RedfishInspection {
  report: Report;
  counts: RequestCounts;
  /** The vendor profile used, when the service root could be read. */
  profile?: string;
}

/** Errors after which no further request can succeed: stop asking, say why for the rest. */
function isFatal(e: unknown): boolean {
  return e instanceof RedfishUnreachableError || e instanceof RedfishTimeoutError || e instanceof RedfishAuthError || e instanceof RedfishCertificateError;
}

const odataId = (v: unknown): string | undefined => {
  const id = (v as { '@odata.id'?: unknown } | undefined)?.['@odata.id'];
  return typeof id === 'string' && id.startsWith('/') ? id : undefined;
};
const links = (v: unknown): string[] => (Array.isArray(v) ? v.map(odataId).filter((x): x is string => x !== undefined) : []);
const lastSegment = (path: string) => decodeURIComponent(path.replace(/\/+$/, '').split('/').pop() ?? path);

class Walk {
  measurements: Measurement[] = [];
  gaps: Gap[] = [];
  fatal: Error | undefined;
  expand = false;
  profile: RedfishProfile;

  constructor(
    readonly client: RedfishClient,
    readonly at: () => string,
    profiles: RedfishProfile[],
  ) {
    this.profile = profiles.find((p) => p.name === 'generic') ?? profiles[0]!;
  }

  ctx(path: string): ParseContext {
    return { command: `GET ${this.client.url(path)}`, at: this.at() };
  }

  async get(path: string): Promise<Json> {
    if (this.fatal) throw this.fatal;
    try {
      return await this.client.get(path);
    } catch (e) {
      if (isFatal(e)) this.fatal = e as Error;
      throw e;
    }
  }

  add(r: ParseResult): void {
    this.measurements.push(...r.measurements);
    this.gaps.push(...r.gaps);
  }

  /** Runs one part of the walk; its failure becomes a gap of `check`, the rest goes on. */
  async section(check: CheckId, path: string, component: string | undefined, run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (e) {
      this.gaps.push({ ...gap(this.ctx(path), check, (e as Error).message), ...(component ? { component } : {}) });
    }
  }

  /**
   * The members of a collection, each a full resource: one `$expand` request when the service
   * supports it, else the collection and a GET per member. Follows `@odata.nextLink` pages until
   * `Members@odata.count` members are read (a page seen twice ends it).
   */
  async members(path: string, limit = 1000): Promise<{ path: string; body: Json }[]> {
    const out: { path: string; body: Json }[] = [];
    const seen = new Set<string>();
    let page: string | undefined = this.expand ? `${path}?$expand=.($levels=1)` : path;
    let total = Infinity;
    const bare: string[] = [];
    while (page && !seen.has(page) && out.length + bare.length < Math.min(total, limit)) {
      seen.add(page);
      const body = await this.get(page);
      const count = body['Members@odata.count'];
      if (typeof count === 'number') total = count;
      for (const m of Array.isArray(body.Members) ? (body.Members as Json[]) : []) {
        const id = odataId(m);
        // A member carrying only its link was not expanded; anything more is the resource itself.
        if (Object.keys(m).length <= 1 && id) bare.push(id);
        else out.push({ path: id ?? page, body: m });
      }
      const next = body['Members@odata.nextLink'] ?? body['@odata.nextLink'];
      page = typeof next === 'string' ? next : undefined;
    }
    for (const id of bare.slice(0, Math.max(0, limit - out.length))) out.push({ path: id, body: await this.get(id) });
    return out;
  }
}

function reportId(hostname: string, start: Date): string {
  return `bmc-${hostname.replace(/[^A-Za-z0-9.-]/g, '_').slice(0, 50)}-${start.getTime()}-${randomBytes(4).toString('hex')}`;
}

async function chassisSections(w: Walk, chassisPath: string, chassis: Json, seen: { power: boolean; thermal: boolean }): Promise<void> {
  const power = odataId(chassis.Power);
  const powerSub = odataId(chassis.PowerSubsystem);
  const thermal = odataId(chassis.Thermal);
  const thermalSub = odataId(chassis.ThermalSubsystem);
  const sensors = odataId(chassis.Sensors);
  const legacyFirst = w.profile.prefer === 'legacy';
  const name = lastSegment(chassisPath);

  const usePowerLegacy = power && (legacyFirst || !powerSub);
  if (usePowerLegacy) {
    seen.power = true;
    await w.section('SXKR-004', power, `chassis ${name} power`, async () => w.add(extractPower(await w.get(power), w.ctx(power))));
  } else if (powerSub) {
    seen.power = true;
    await w.section('SXKR-004', powerSub, `chassis ${name} power`, async () => {
      const sub = await w.get(powerSub);
      w.add(extractPowerSubsystem(sub, w.ctx(powerSub)));
      const psus = odataId(sub.PowerSupplies);
      if (!psus) throw new Error('PowerSubsystem has no PowerSupplies collection');
      const members = await w.members(psus);
      if (members.length === 0) w.gaps.push(gap(w.ctx(psus), 'SXKR-004', 'the BMC lists no power supplies'));
      for (const m of members) w.measurements.push(extractPowerSupply(m.body, w.ctx(m.path)));
    });
  }

  const useThermalLegacy = thermal && (legacyFirst || !(thermalSub || sensors));
  if (useThermalLegacy) {
    seen.thermal = true;
    await w.section('SXKR-005', thermal, `chassis ${name} thermal`, async () => {
      const body = await w.get(thermal);
      w.add(extractThermal(body, w.ctx(thermal)));
    });
    return;
  }
  if (thermalSub) {
    seen.thermal = true;
    await w.section('SXKR-004', thermalSub, `chassis ${name} fans`, async () => {
      const sub = await w.get(thermalSub);
      w.add(extractThermalSubsystem(sub, w.ctx(thermalSub)));
      const fans = odataId(sub.Fans);
      if (!fans) throw new Error('ThermalSubsystem has no Fans collection');
      const members = await w.members(fans);
      if (members.length === 0) w.gaps.push(gap(w.ctx(fans), 'SXKR-004', 'the BMC lists no fans'));
      for (const m of members) w.measurements.push(extractFan(m.body, w.ctx(m.path)));
    });
  }
  if (sensors) {
    seen.thermal = true;
    await w.section('SXKR-005', sensors, `chassis ${name} temperatures`, async () => {
      const members = await w.members(sensors);
      const temps = members.filter((m) => isTemperatureSensor(m.body));
      if (temps.length === 0) w.gaps.push(gap(w.ctx(sensors), 'SXKR-005', 'the BMC lists no temperature sensors'));
      const out: ParseResult = { measurements: [], gaps: [] };
      for (const m of temps) extractTemperatureSensor(m.body, w.ctx(m.path), out);
      w.add(out);
    });
  }
}

async function systemModules(w: Walk, systemPath: string, system: Json): Promise<boolean> {
  let any = false;
  for (const [kind, key] of [['processor', 'Processors'], ['memory', 'Memory']] as const) {
    const col = odataId(system[key]);
    if (!col) continue;
    any = true;
    await w.section('SXKR-003', col, key, async () => {
      for (const m of await w.members(col)) w.measurements.push(extractModule(kind, m.body, w.ctx(m.path)));
    });
  }
  const storage = odataId(system.Storage);
  if (storage) {
    any = true;
    await w.section('SXKR-003', storage, 'Storage', async () => {
      for (const s of await w.members(storage)) {
        for (const [i, c] of (Array.isArray(s.body.StorageControllers) ? (s.body.StorageControllers as Json[]) : []).entries()) {
          w.measurements.push(extractModule('storage controller', { Name: `${lastSegment(s.path)}/${(c.Name as string) ?? i}`, ...c }, w.ctx(s.path)));
        }
        for (const d of links(s.body.Drives)) {
          await w.section('SXKR-003', d, `drive ${lastSegment(d)}`, async () => void w.measurements.push(extractModule('drive', await w.get(d), w.ctx(d))));
        }
      }
    });
  }
  const simple = odataId(system.SimpleStorage);
  if (simple && !storage) {
    any = true;
    await w.section('SXKR-003', simple, 'SimpleStorage', async () => {
      for (const s of await w.members(simple)) w.add(extractSimpleStorage(s.body, w.ctx(s.path)));
    });
  }
  if (!any) w.gaps.push(gap(w.ctx(systemPath), 'SXKR-003', 'the system links no Processors, Memory or Storage'));
  return any;
}

async function readLogs(w: Walk, owners: { path: string; body: Json }[], since: Date): Promise<void> {
  const include = new RegExp(w.profile.logs.include, 'i');
  const exclude = new RegExp(w.profile.logs.exclude, 'i');
  let read = 0;
  for (const owner of owners) {
    const col = odataId(owner.body.LogServices);
    if (!col) continue;
    await w.section('SXKR-006', col, `log services of ${lastSegment(owner.path)}`, async () => {
      const collection = await w.get(col);
      for (const svcPath of links(collection.Members)) {
        const id = lastSegment(svcPath);
        if (!include.test(id) || exclude.test(id)) continue;
        await w.section('SXKR-006', svcPath, `log ${id}`, async () => {
          const svc = await w.get(svcPath);
          const entries = odataId(svc.Entries);
          if (!entries) throw new Error(`log service ${id} has no Entries`);
          // Entries are read as the BMC pages them; only those since the last inspection count.
          const saved = w.expand;
          w.expand = false;
          const members = await w.members(entries, w.profile.logs.maxEntries).finally(() => (w.expand = saved));
          w.add(extractLogEntries(`${lastSegment(owner.path)} ${id}`, members.map((m) => m.body), w.ctx(entries), { since, repairedFlags: w.profile.logs.repairedFlags }));
          read++;
        });
      }
    });
  }
  if (read === 0 && !w.gaps.some((g) => g.check === 'SXKR-006')) {
    w.gaps.push(gap(w.ctx(owners[0]?.path ?? '/redfish/v1/'), 'SXKR-006', `the BMC offers no log service matching profile ${w.profile.name} (${w.profile.logs.include})`));
  }
}

export async function inspectRedfish(target: RedfishTarget, opts: CollectRedfishOptions = {}): Promise<RedfishInspection> {
  const t0 = Date.now();
  const start = opts.now ?? new Date();
  const clock = () => new Date(start.getTime() + (Date.now() - t0));
  const since = opts.logSince ?? new Date(start.getTime() - 31 * 86_400_000);
  const client = new RedfishClient(target);
  const profiles = opts.profiles ?? builtinRedfishProfiles();
  const w = new Walk(client, () => clock().toISOString(), profiles);
  const identity: DeviceIdentity = { ...target.identity, addresses: [...(target.identity.addresses ?? [])] };
  if (!identity.addresses.includes(target.host)) identity.addresses.push(target.host);
  let detected: string | undefined;

  try {
    const root = await w.get('/redfish/v1/');
    const sessions = odataId((root.Links as Json | undefined)?.Sessions) ?? '/redfish/v1/SessionService/Sessions';
    try {
      await client.login(sessions);
    } catch (e) {
      if (isFatal(e)) w.fatal = e as Error;
      throw e;
    }
    const features = (root.ProtocolFeaturesSupported as Json | undefined)?.ExpandQuery as Json | undefined;
    const systemsPath = odataId(root.Systems);
    if (!systemsPath) throw new Error('the service root links no Systems');
    const systems = await w.members(systemsPath);
    if (systems.length === 0) throw new Error(`${systemsPath} lists no system`);
    const first = systems[0]!.body;
    const rootOem = Object.keys((root.Oem as Json | undefined) ?? {});
    w.profile = target.profile
      ? profiles.find((p) => p.name === target.profile) ?? w.profile
      : detectRedfishProfile({ rootOem, ...(typeof root.Vendor === 'string' ? { vendor: root.Vendor } : {}), ...(typeof first.Manufacturer === 'string' ? { manufacturer: first.Manufacturer } : {}) }, profiles);
    detected = w.profile.name;
    w.expand = w.profile.expand && features?.Levels === true;

    const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
    if (str(first.Manufacturer) && !identity.vendor) identity.vendor = clip(str(first.Manufacturer)!, 200);
    if (str(first.Model) && !identity.model) identity.model = clip(str(first.Model)!, 200);
    if (str(first.SerialNumber) && !identity.serial) identity.serial = clip(str(first.SerialNumber)!, 200);

    // Chassis: those the systems name (a blade's enclosure too), else the whole collection.
    const chassisPaths = [...new Set(systems.flatMap((s) => links((s.body.Links as Json | undefined)?.Chassis)))];
    const chassis: { path: string; body: Json }[] = [];
    if (chassisPaths.length > 0) {
      for (const p of chassisPaths) await w.section('SXKR-004', p, `chassis ${lastSegment(p)}`, async () => void chassis.push({ path: p, body: await w.get(p) }));
    } else if (odataId(root.Chassis)) {
      const col = odataId(root.Chassis)!;
      await w.section('SXKR-004', col, 'chassis', async () => void chassis.push(...(await w.members(col))));
    }
    const seen = { power: false, thermal: false };
    for (const c of chassis) await chassisSections(w, c.path, c.body, seen);
    if (!seen.power && !w.fatal) w.gaps.push(gap(w.ctx(chassisPaths[0] ?? '/redfish/v1/Chassis'), 'SXKR-004', 'no chassis links Power or PowerSubsystem'));
    if (!seen.thermal && !w.fatal) w.gaps.push(gap(w.ctx(chassisPaths[0] ?? '/redfish/v1/Chassis'), 'SXKR-005', 'no chassis links Thermal, ThermalSubsystem or Sensors'));

    for (const s of systems) await systemModules(w, s.path, s.body);

    // Managers: firmware for the equipment record, and their log services (iDRAC keeps the SEL there).
    const managers: { path: string; body: Json }[] = [];
    for (const p of [...new Set(systems.flatMap((s) => links((s.body.Links as Json | undefined)?.ManagedBy)))]) {
      await w.section('SXKR-006', p, `manager ${lastSegment(p)}`, async () => void managers.push({ path: p, body: await w.get(p) }));
    }
    const bios = str(first.BiosVersion);
    const bmc = str(managers[0]?.body.FirmwareVersion);
    if ((bios || bmc) && !identity.version) identity.version = clip([bios && `BIOS ${bios}`, bmc && `BMC ${bmc}`].filter(Boolean).join('; '), 200);
    await readLogs(w, [...systems, ...managers], since);
  } catch (e) {
    // Nothing more can be read: every check the BMC answers for is unknown with this reason,
    // unless a part of the walk already said why.
    const reason = (e as Error).message;
    for (const check of BMC_CHECKS) {
      if (!w.gaps.some((g) => g.check === check) || w.fatal) w.gaps.push(gap(w.ctx('/redfish/v1/'), check, reason));
    }
  } finally {
    await client.logout();
  }
  // A fatal error part-way leaves earlier sections measured; checks never reached say why.
  if (w.fatal) {
    for (const check of BMC_CHECKS) {
      if (!w.measurements.some((m) => m.check === check) && !w.gaps.some((g) => g.check === check && g.reason === w.fatal!.message)) {
        w.gaps.push(gap(w.ctx('/redfish/v1/'), check, w.fatal.message));
      }
    }
  }
  const report: Report = {
    id: reportId(identity.hostname, start),
    source: 'bmc',
    ...(target.site ? { site: target.site } : {}),
    window: { start: start.toISOString(), end: clock().toISOString() },
    identity,
    measurements: w.measurements.slice(0, 20_000),
    gaps: dedupeGaps(w.gaps).slice(0, 1000),
    producer: PRODUCER,
  };
  return { report, counts: { ...client.counts }, ...(detected ? { profile: detected } : {}) };
}

function dedupeGaps(gaps: Gap[]): Gap[] {
  const seen = new Set<string>();
  return gaps.filter((g) => {
    const k = `${g.check}\u0000${g.component ?? ''}\u0000${g.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The report of one controller (see inspectRedfish). */
export async function collectRedfish(target: RedfishTarget, opts: CollectRedfishOptions = {}): Promise<Report> {
  return (await inspectRedfish(target, opts)).report;
}
