/**
 * One SNMP poll of one device: identify it, pick its profile, walk what the profile reads (CPU
 * short-term columns sampled across the window), extract measurements, and return a Report.
 * An unreachable device, or one that stops answering part-way, gives gaps — never a fake normal.
 */
import { CHECK_IDS, Report, validate, type CheckId, type Gap, type Report as ReportT, type XunjianError } from '../../../schemas/index.js';
import { newReportId } from '../../report-id.js';
import { SnmpError, SnmpTimeoutError } from './errors.js';
import { extract, type SystemFacts } from './extract.js';
import { builtinProfiles, detect, detectionProbes, type Detection, type ResolvedProfile } from './profiles.js';
import { SnmpSession, type SnmpTarget, type SnmpValue } from './session.js';
import { walkTogether } from './walker.js';
import { addWalk, emptyWalked, ENT_PHYSICAL_CLASS, inventoryOnlyColumns, profileColumns, sampleColumns, type Walked } from './walked.js';

export const PRODUCER = 'xunjian-snmp/0.1.0';

const SYS = {
  sysDescr: '1.3.6.1.2.1.1.1.0',
  sysObjectID: '1.3.6.1.2.1.1.2.0',
  sysUpTime: '1.3.6.1.2.1.1.3.0',
  sysName: '1.3.6.1.2.1.1.5.0',
} as const;

export interface CollectOptions {
  /** The inspection window over which CPU is sampled; 0 (default) reads once. */
  windowMs?: number;
  /** Number of CPU samples across the window (first at its start, last at its end); default 5 when windowMs > 0, else 1. */
  samples?: number;
  /** Log entries before this time are not reported (the last poll). */
  logSince?: Date;
  /** Clock for timestamps (tests). */
  now?: () => Date;
  /** Profiles to choose from; default the shipped ones. */
  profiles?: ResolvedProfile[];
  /** Walks in flight at once on one device; default 4. */
  walkConcurrency?: number;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

function baseIdentity(target: SnmpTarget) {
  return { hostname: (target.name ?? target.host).slice(0, 255), kind: target.kind ?? ('switch' as const), addresses: [target.host] };
}

/** A report for a device that could not be polled at all: every check unknown with the reason. */
function unreachableReport(target: SnmpTarget, start: Date, end: Date, reason: string): ReportT {
  return {
    id: newReportId('snmp'),
    source: 'snmp',
    ...(target.site ? { site: target.site } : {}),
    window: { start: start.toISOString(), end: end.toISOString() },
    identity: baseIdentity(target),
    measurements: [],
    gaps: CHECK_IDS.map((check): Gap => ({ check, reason, command: `GET sysDescr.0 sysObjectID.0 (${target.host}:${target.port ?? 161})` })),
    producer: PRODUCER,
  };
}

/** Whether the device still answers a GET of sysUpTime.0 (one request: at most timeout × attempts). */
function stillAnswers(session: SnmpSession): Promise<boolean> {
  return session.get([SYS.sysUpTime]).then(
    () => true,
    () => false,
  );
}

/**
 * Tables that may time out while the device still answers GET before the rest are given up: a
 * partial answer costs one timeout per silent table, but an agent whose GETBULK never answers
 * must not cost one per column of the profile.
 */
export const MAX_SILENT_TABLES = 8;

/**
 * Walks `columns` into `walked`, a few at a time. A column that times out is failed alone when the
 * device still answers sysUpTime.0 (an agent that never answers one table: a partial answer); once
 * the device answers nothing at all, or MAX_SILENT_TABLES have timed out, the remaining columns are
 * marked failed without waiting. Resolves true when the device answered to the end.
 */
async function walkAll(session: SnmpSession, columns: string[], walked: Walked, concurrency: number, priorTimeouts = 0): Promise<boolean> {
  let next = 0;
  let timeouts = priorTimeouts;
  let givenUp: string | undefined;
  const worker = async () => {
    while (next < columns.length) {
      const column = columns[next++]!;
      if (givenUp) {
        walked.failed.set(column, `not read: ${givenUp}`);
        continue;
      }
      try {
        addWalk(walked, column, await session.walk(column));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        walked.failed.set(column, message);
        if (!(e instanceof SnmpTimeoutError) || givenUp) continue;
        if (++timeouts >= MAX_SILENT_TABLES) givenUp ??= `${timeouts} tables did not answer although the device answers GET (${message})`;
        else if (!(await stillAnswers(session))) givenUp ??= `the device stopped answering (${message})`;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, columns.length) }, worker));
  return givenUp === undefined;
}

/**
 * Walks `columns` several to a request (walker.ts); the columns of a request that failed are then
 * walked one by one by walkAll, which tells one silent table from a dead device — unless the
 * device no longer answers a GET at all, when they are failed at once. v1 has no GETBULK: walkAll.
 */
async function walkColumns(session: SnmpSession, columns: string[], walked: Walked, concurrency: number): Promise<boolean> {
  if (session.target.version === '1' || columns.length <= 1) return walkAll(session, columns, walked, concurrency);
  const r = await walkTogether(session, columns, walked, concurrency);
  if (r.unread.length === 0) return true;
  if (r.timeouts > 0 && !(await stillAnswers(session))) {
    for (const c of r.unread) walked.failed.set(c, `not read: the device stopped answering (${r.timeoutMessage})`);
    return false;
  }
  return walkAll(session, r.unread, walked, concurrency, r.timeouts);
}

async function readSystem(session: SnmpSession, profiles: ResolvedProfile[]): Promise<SystemFacts & { answered: Set<string> }> {
  const probes = detectionProbes(profiles);
  const answered = new Set<string>();
  let system: (SnmpValue | undefined)[];
  try {
    // One request: v2c/v3 answer a missing probe with noSuchObject in its own varbind.
    system = await session.get([SYS.sysDescr, SYS.sysObjectID, SYS.sysUpTime, SYS.sysName, ...probes]);
    probes.forEach((probe, i) => system[4 + i] !== undefined && answered.add(probe));
  } catch (e) {
    if (e instanceof SnmpTimeoutError || probes.length === 0) throw e;
    // v1 refuses the whole GET with noSuchName when one object is missing: ask one by one.
    system = await session.get([SYS.sysDescr, SYS.sysObjectID, SYS.sysUpTime, SYS.sysName]);
    for (const probe of probes) {
      try {
        const [v] = await session.get([probe]);
        if (v !== undefined) answered.add(probe);
      } catch (e2) {
        if (e2 instanceof SnmpTimeoutError) throw e2;
        // noSuchName: the probe is simply not there.
      }
    }
  }
  const [descr, objectId, upTime, name] = system;
  return {
    sysDescr: descr === undefined ? '' : String(descr),
    sysObjectID: objectId === undefined ? '' : String(objectId).replace(/^\./, ''),
    ...(typeof upTime === 'number' ? { sysUpTime: upTime } : {}),
    ...(name !== undefined && String(name).trim() ? { sysName: String(name).trim() } : {}),
    answered,
  };
}

/**
 * `xunjian-snmp/0.1.0 profile=cisco-ios by=enterprise:1.3.6.1.4.1.9`: the profile and how it was
 * chosen (`by=match`; `by=enterprise:<prefix>` for a vendor's broadest profile; `by=default`;
 * `by=unanswered:<prefix>` when the vendor's tables gave nothing), which the form prints.
 */
function producerOf(d: Detection): string {
  const by = d.by === 'vendor' ? `enterprise:${d.enterprise}` : d.by === 'unanswered' ? `unanswered:${d.enterprise}` : d.by;
  return `${PRODUCER} profile=${d.profile.name} by=${by}`.slice(0, 100);
}

function hasLogEntries(profile: ResolvedProfile, walked: Walked): boolean {
  return (profile.log ?? []).some((s) => (walked.columns.get(s.severity.oid)?.size ?? 0) > 0);
}

/** The hardware checks a vendor profile must measure something for before it is kept. */
const HARDWARE_CHECKS: CheckId[] = ['SXKR-001', 'SXKR-002', 'SXKR-004', 'SXKR-005'];

/** Entities whose serial and model a poll asks for: the chassis (entPhysicalClass 3), then the profile's own. */
function inventoryIndexes(profile: ResolvedProfile, walked: Walked): string[] {
  const chassis = [...(walked.columns.get(ENT_PHYSICAL_CLASS) ?? [])].filter(([, v]) => v === 3).map(([k]) => k);
  return [...new Set([...chassis.slice(0, 4), ...(profile.inventory?.entityIndexes ?? []).map(String), '0'])].slice(0, 8);
}

/**
 * Serial, model and firmware by GET at the entities that carry them (one request); a column none
 * of those answers is walked whole, so the first entity that has one is still found.
 */
async function readInventory(session: SnmpSession, profile: ResolvedProfile, columns: string[], walked: Walked, concurrency: number): Promise<void> {
  const indexes = inventoryIndexes(profile, walked);
  const oids = columns.flatMap((c) => indexes.map((i) => `${c}.${i}`));
  let values: (SnmpValue | undefined)[] = [];
  try {
    values = await session.get(oids);
  } catch {
    // v1 refuses a GET with any missing object (noSuchName): walk instead.
  }
  const unanswered: string[] = [];
  columns.forEach((column, k) => {
    const rows = indexes.flatMap((index, j) => {
      const v = values[k * indexes.length + j];
      return v !== undefined && String(v).trim() ? [{ oid: `${column}.${index}`, value: v }] : [];
    });
    if (rows.length > 0) addWalk(walked, column, rows);
    else unanswered.push(column);
  });
  if (unanswered.length > 0) await walkColumns(session, unanswered, walked, concurrency);
}

interface ProfileRead {
  walked: Walked;
  /** The CPU sample passes across the window, the full walk last. */
  samplePasses: Walked[];
  answering: boolean;
  /** The window the samples span (0: one reading). */
  windowMs: number;
}

/** Walks what `profile` reads: the CPU sample columns across the window, then every column once. */
async function readProfile(session: SnmpSession, profile: ResolvedProfile, o: { t0: number; windowMs: number; samples: number; concurrency: number }): Promise<ProfileRead> {
  const sampleCols = sampleColumns(profile);
  const samplePasses: Walked[] = [];
  for (let k = 0; k < o.samples - 1; k++) {
    await sleep(o.t0 + (k * o.windowMs) / (o.samples - 1) - Date.now());
    const pass = emptyWalked();
    await walkColumns(session, sampleCols, pass, o.concurrency);
    samplePasses.push(pass);
  }
  if (o.samples > 1) await sleep(o.t0 + o.windowMs - Date.now());
  const walked = emptyWalked();
  const inventory = new Set(inventoryOnlyColumns(profile));
  const answering = await walkColumns(session, profileColumns(profile).filter((c) => !inventory.has(c)), walked, o.concurrency);
  if (answering && inventory.size > 0) await readInventory(session, profile, [...inventory], walked, o.concurrency);
  samplePasses.push(walked);
  return { walked, samplePasses, answering, windowMs: o.samples > 1 ? o.windowMs : 0 };
}

/** Polls one device over SNMP and returns its report (source `snmp`). Rejects only for a malformed target. */
export async function collectSnmp(target: SnmpTarget, opts: CollectOptions = {}): Promise<ReportT> {
  const now = opts.now ?? (() => new Date());
  const profiles = opts.profiles ?? builtinProfiles();
  const windowMs = Math.max(0, opts.windowMs ?? 0);
  const samples = windowMs > 0 ? Math.max(1, Math.floor(opts.samples ?? 5)) : 1;
  const session = new SnmpSession(target); // throws SnmpError('USAGE') for a malformed target
  const start = now();
  const t0 = Date.now();
  try {
    let sys: Awaited<ReturnType<typeof readSystem>>;
    try {
      sys = await readSystem(session, profiles);
    } catch (e) {
      if (!(e instanceof SnmpError)) throw e;
      return unreachableReport(target, start, now(), e.message);
    }
    let detection = detect(sys, profiles);
    if (!detection) return unreachableReport(target, start, now(), `no SNMP profile matches sysObjectID ${sys.sysObjectID} / sysDescr "${sys.sysDescr.slice(0, 80)}"`);

    const concurrency = opts.walkConcurrency ?? 4;
    const readWith = async (d: Detection, window: { t0: number; windowMs: number; samples: number }) => {
      const read = await readProfile(session, d.profile, { ...window, concurrency });
      // sysUpTime read again with the walk, so log entry times are computed against the same
      // instant — only when there are entries to time (and not from a device that fell silent:
      // that would only add a timeout).
      if (read.answering && hasLogEntries(d.profile, read.walked)) {
        try {
          const [up] = await session.get([SYS.sysUpTime]);
          if (typeof up === 'number') sys.sysUpTime = up;
        } catch {
          // keep the first reading
        }
      }
      const at = now();
      const extracted = extract({
        profile: d.profile,
        walked: read.walked,
        samples: read.samplePasses,
        sys,
        at: at.toISOString(),
        windowMs: read.windowMs,
        ...(opts.logSince ? { logSince: opts.logSince } : {}),
        ...(d.by === 'vendor' ? { profileNote: d.why } : {}),
      });
      return { read, at, ...extracted };
    };
    let result = await readWith(detection, { t0, windowMs, samples });
    // A device under a vendor's enterprise that answered, yet gave none of that vendor's hardware
    // tables (an appliance on a general-purpose OS with the vendor's OID), is read with the
    // catch-all profile's standard MIBs instead.
    const catchAll = profiles.find((p) => Object.values(p.detect).every((v) => v === undefined));
    if (
      detection.by === 'vendor' &&
      catchAll &&
      result.read.answering &&
      result.read.walked.failed.size === 0 &&
      !result.measurements.some((m) => HARDWARE_CHECKS.includes(m.check))
    ) {
      detection = { ...detection, profile: catchAll, by: 'unanswered', why: `${detection.why}; it answered none of that profile's hardware tables: standard MIBs only` };
      result = await readWith(detection, { t0: Date.now(), windowMs: 0, samples: 1 });
    }
    const { profile } = detection;
    const { measurements, gaps, inventory } = result;
    const end = result.at;
    const report: ReportT = {
      id: newReportId('snmp'),
      source: 'snmp',
      ...(target.site ? { site: target.site } : {}),
      window: { start: start.toISOString(), end: end.toISOString() },
      identity: {
        hostname: (target.name ?? sys.sysName ?? target.host).slice(0, 255),
        kind: target.kind ?? profile.kind,
        ...(inventory.vendor ? { vendor: inventory.vendor } : {}),
        ...(inventory.model ? { model: inventory.model } : {}),
        ...(inventory.serial ? { serial: inventory.serial } : {}),
        ...(inventory.os ? { os: inventory.os } : {}),
        ...(inventory.version ? { version: inventory.version } : {}),
        addresses: [target.host],
      },
      measurements,
      gaps: gaps.slice(0, 1000),
      producer: producerOf(detection),
    };
    return validate(Report, report, `SNMP report for ${session.address}`);
  } finally {
    session.close();
  }
}

/** The profile `collectSnmp` chose, from a report's producer field. */
export function profileOf(report: ReportT): string | undefined {
  return /profile=([a-z0-9-]+)/.exec(report.producer ?? '')?.[1];
}

export interface PollOutcome {
  target: SnmpTarget;
  report?: ReportT;
  /** Only for a target that could not even be tried (malformed); unreachable devices give a report with gaps. */
  error?: XunjianError | Error;
  ms: number;
}

/** Polls many devices, at most `concurrency` at once; a slow or failing device never holds up another's slot beyond its own timeout. */
export async function collectSnmpMany(
  targets: SnmpTarget[],
  opts: CollectOptions & { concurrency?: number; onDone?: (outcome: PollOutcome, index: number) => void } = {},
): Promise<PollOutcome[]> {
  const concurrency = Math.max(1, opts.concurrency ?? 16);
  const outcomes: PollOutcome[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const target = targets[i]!;
      const t = performance.now();
      let outcome: PollOutcome;
      try {
        outcome = { target, report: await collectSnmp(target, opts), ms: performance.now() - t };
      } catch (e) {
        outcome = { target, error: e instanceof Error ? e : new Error(String(e)), ms: performance.now() - t };
      }
      outcomes[i] = outcome;
      opts.onDone?.(outcome, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, targets.length) }, worker));
  return outcomes;
}

export type { CheckId };
