/**
 * One SNMP poll of one device: identify it, pick its profile, walk what the profile reads (CPU
 * short-term columns sampled across the window), extract measurements, and return a Report.
 * An unreachable device, or one that stops answering part-way, gives gaps — never a fake normal.
 */
import { CHECK_IDS, Report, validate, type CheckId, type Gap, type Report as ReportT, type XunjianError } from '../../../schemas/index.js';
import { newReportId } from '../../report-id.js';
import { SnmpError, SnmpTimeoutError } from './errors.js';
import { extract, type SystemFacts } from './extract.js';
import { builtinProfiles, detectProfile, detectionProbes, type ResolvedProfile } from './profiles.js';
import { SnmpSession, type SnmpTarget } from './session.js';
import { addWalk, emptyWalked, profileColumns, sampleColumns, type Walked } from './walked.js';

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
async function walkAll(session: SnmpSession, columns: string[], walked: Walked, concurrency: number): Promise<boolean> {
  let next = 0;
  let timeouts = 0;
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

async function readSystem(session: SnmpSession, profiles: ResolvedProfile[]): Promise<SystemFacts & { answered: Set<string> }> {
  const [descr, objectId, upTime, name] = await session.get([SYS.sysDescr, SYS.sysObjectID, SYS.sysUpTime, SYS.sysName]);
  const answered = new Set<string>();
  for (const probe of detectionProbes(profiles)) {
    try {
      const [v] = await session.get([probe]);
      if (v !== undefined) answered.add(probe);
    } catch (e) {
      if (e instanceof SnmpTimeoutError) throw e;
      // v1 answers a missing object with noSuchName: the probe is simply not there.
    }
  }
  return {
    sysDescr: descr === undefined ? '' : String(descr),
    sysObjectID: objectId === undefined ? '' : String(objectId).replace(/^\./, ''),
    ...(typeof upTime === 'number' ? { sysUpTime: upTime } : {}),
    ...(name !== undefined && String(name).trim() ? { sysName: String(name).trim() } : {}),
    answered,
  };
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
    const profile = detectProfile(sys, profiles);
    if (!profile) return unreachableReport(target, start, now(), `no SNMP profile matches sysObjectID ${sys.sysObjectID} / sysDescr "${sys.sysDescr.slice(0, 80)}"`);

    const concurrency = opts.walkConcurrency ?? 4;
    const sampleCols = sampleColumns(profile);
    const samplePasses: Walked[] = [];
    for (let k = 0; k < samples - 1; k++) {
      await sleep(t0 + (k * windowMs) / (samples - 1) - Date.now());
      const pass = emptyWalked();
      await walkAll(session, sampleCols, pass, concurrency);
      samplePasses.push(pass);
    }
    if (samples > 1) await sleep(t0 + windowMs - Date.now());
    const walked = emptyWalked();
    const answering = await walkAll(session, profileColumns(profile), walked, concurrency);
    // sysUpTime read again with the walk, so log entry times are computed against the same instant
    // (not from a device that fell silent: that would only add a timeout).
    if (answering) {
      try {
        const [up] = await session.get([SYS.sysUpTime]);
        if (typeof up === 'number') sys.sysUpTime = up;
      } catch {
        // keep the first reading
      }
    }
    samplePasses.push(walked);
    const end = now();
    const { measurements, gaps, inventory } = extract({
      profile,
      walked,
      samples: samplePasses,
      sys,
      at: end.toISOString(),
      windowMs: samples > 1 ? windowMs : 0,
      ...(opts.logSince ? { logSince: opts.logSince } : {}),
    });
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
      producer: `${PRODUCER} profile=${profile.name}`.slice(0, 100),
    };
    return validate(Report, report, `SNMP report for ${session.address}`);
  } finally {
    session.close();
  }
}

/** The profile `collectSnmp` would choose, from a report's producer field. */
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
