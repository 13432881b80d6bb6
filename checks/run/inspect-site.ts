/**
 * Inspects a whole site: every server over SSH and every network device and UPS over SNMP,
 * `concurrency` at a time. One device's failure never stops the run: it becomes that device's
 * report with every check unknown and the reason.
 */
import {
  ModuleThresholds,
  type DeviceIdentity,
  type DeviceInspection,
  type Lang,
  type Report,
  type SiteInspection,
  type SiteSummary,
  type SummaryItem,
  type ThresholdOverrides,
  type Verdict,
  XunjianError,
} from '../../schemas/index.js';
import { DEFAULT_TIME_ZONE, evaluateReport, newReportId, overallVerdict, resolveThresholds } from '../index.js';
import { allUnknownGaps, collectSsh, type SshTarget } from '../sources/ssh/index.js';
import { loadSiteFile, type LoadedSite, type SiteDevice, type SiteServerTarget, type SiteSnmpTarget } from './site-file.js';
import { collectSnmpDevice, type SnmpCollect } from './snmp-adapter.js';
import { collectBmc } from './bmc-adapter.js';
import { combineReports } from './combine.js';
import { collectHmcFor } from './hmc-adapter.js';
import { resolveSshAuth } from './ssh-auth.js';

// The run's result is a file format (inspection.json), so its types live in schemas/.
export type { DeviceInspection, SiteInspection, SiteSummary, SummaryItem };

export type ProgressState = 'queued' | 'connecting' | 'collecting' | 'done' | 'failed';

export interface ProgressEvent {
  device: string;
  kind: SiteDevice['kind'];
  state: ProgressState;
  /** 1-based position in the run and the run's size. */
  index: number;
  total: number;
  /** With `done` and `failed`. */
  verdict?: Verdict;
  /** With `failed`: why the device could not be inspected. */
  reason?: string;
  at: string;
}

export interface InspectSiteOptions {
  concurrency?: number;
  /** CPU sampling window per device. Default 5 s. */
  windowMs?: number;
  onProgress?: (e: ProgressEvent) => void;
  /** Trust and record host keys seen for the first time (`--accept-new`). */
  acceptNew?: boolean;
  /** Only devices of these groups (`--group`). */
  groups?: string[];
  lang?: Lang;
  logSince?: Date;
  /** Asked once per server with `password_prompt: true`. */
  promptPassword?: (server: SiteServerTarget) => Promise<string>;
  /** Environment to resolve `*_env` references from. Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The SNMP source (default: checks/sources/snmp). */
  collectSnmp?: SnmpCollect;
}

function identityOf(d: SiteDevice): DeviceIdentity {
  return { hostname: d.name, kind: d.kind, ...(d.role ? { role: d.role } : {}), addresses: [d.host] };
}

/** A report for a device that could not be inspected at all. */
export function unreachableReport(d: SiteDevice, site: string, source: Report['source'], reason: string, command?: string): Report {
  const now = new Date().toISOString();
  return {
    id: newReportId(source),
    source,
    site,
    window: { start: now, end: now },
    identity: identityOf(d),
    measurements: [],
    gaps: allUnknownGaps(reason, command),
  };
}

async function sshTargetOf(
  s: SiteServerTarget,
  loaded: LoadedSite,
  opts: InspectSiteOptions,
  overrides: ThresholdOverrides | undefined,
): Promise<SshTarget | string> {
  const env = opts.env ?? process.env;
  const identity = identityOf(s);
  const required = resolveThresholds('SXKR-003', ModuleThresholds, overrides, identity).values.requiredServices;
  const target: SshTarget = {
    host: s.host,
    port: s.port,
    user: s.user,
    knownHostsPath: loaded.knownHostsPath,
    acceptNew: opts.acceptNew ?? false,
    connectTimeoutMs: loaded.connectTimeoutMs,
    identity,
    site: loaded.site.site,
    requiredServices: required,
  };
  const credentials = await resolveSshAuth(s.auth, s, { env, ...(opts.promptPassword ? { promptPassword: opts.promptPassword } : {}) });
  if (typeof credentials === 'string') return credentials;
  Object.assign(target, credentials);
  return target;
}

function summarise(devices: DeviceInspection[]): SiteSummary {
  const count = (): Record<Verdict, number> => ({ normal: 0, abnormal: 0, unknown: 0 });
  const summary: SiteSummary = { devices: count(), checks: count(), items: [] };
  const abnormal: SummaryItem[] = [];
  const unknown: SummaryItem[] = [];
  for (const d of devices) {
    summary.devices[d.verdict]++;
    for (const r of d.results) {
      summary.checks[r.verdict]++;
      if (r.verdict === 'normal') continue;
      const item: SummaryItem = { device: d.device.name, check: r.check, verdict: r.verdict, actual: r.actual, ...(r.reason ? { reason: r.reason } : {}) };
      (r.verdict === 'abnormal' ? abnormal : unknown).push(item);
    }
  }
  summary.items = [...abnormal, ...unknown];
  return summary;
}

/** Runs `worker` over `items` with at most `limit` in flight, keeping the input order in the output. */
async function pool<T, R>(items: T[], limit: number, worker: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await worker(items[i]!, i);
    }
  });
  await Promise.all(lanes);
  return out;
}

export async function inspectSite(siteFile: string | LoadedSite, opts: InspectSiteOptions = {}): Promise<SiteInspection> {
  const loaded = typeof siteFile === 'string' ? loadSiteFile(siteFile) : siteFile;
  const concurrency = Math.max(1, Math.floor(opts.concurrency ?? 16));
  const windowMs = opts.windowMs ?? 5_000;
  const lang = opts.lang ?? 'zh';
  const overrides = loaded.site.thresholds;
  const siteName = loaded.site.site;
  const inGroups = (d: SiteDevice) => {
    if (!opts.groups?.length) return true;
    return opts.groups.some((g) => d.groups.includes(g) || (loaded.site.groups?.[g] ?? []).includes(d.name));
  };
  const all: SiteDevice[] = [...loaded.servers, ...loaded.snmpDevices];
  const known = new Set([...Object.keys(loaded.site.groups ?? {}), ...all.flatMap((d) => d.groups)]);
  const unknownGroups = (opts.groups ?? []).filter((g) => !known.has(g));
  if (unknownGroups.length > 0) {
    throw new XunjianError('USAGE', `no group ${unknownGroups.join(', ')} in ${loaded.file} (groups: ${[...known].sort().join(', ') || 'none'})`);
  }
  const devices = all.filter(inGroups);
  const total = devices.length;
  const emit = (d: SiteDevice, index: number, state: ProgressState, extra: Partial<ProgressEvent> = {}) => {
    try {
      opts.onProgress?.({ device: d.name, kind: d.kind, state, index: index + 1, total, at: new Date().toISOString(), ...extra });
    } catch {
      // A broken progress display must not stop the inspection.
    }
  };
  devices.forEach((d, i) => emit(d, i, 'queued'));

  const started = Date.now();
  const inspected = await pool(devices, concurrency, async (d, index): Promise<DeviceInspection> => {
    const t0 = Date.now();
    emit(d, index, 'connecting');
    let report: Report;
    try {
      if (d.kind === 'server') {
        const server = d as SiteServerTarget;
        const target = await sshTargetOf(server, loaded, opts, overrides);
        // The controller is read while the OS is sampled: a combined device costs no extra time.
        const bmc = server.bmc
          ? collectBmc(server, identityOf(d), {
              pinsPath: loaded.bmcPinsPath,
              acceptNew: opts.acceptNew ?? false,
              env: opts.env ?? process.env,
              site: siteName,
              ...(opts.logSince ? { logSince: opts.logSince } : {}),
            })
          : undefined;
        const hmc = server.hmc
          ? collectHmcFor(server, identityOf(d), {
              knownHostsPath: loaded.knownHostsPath,
              acceptNew: opts.acceptNew ?? false,
              connectTimeoutMs: loaded.connectTimeoutMs,
              env: opts.env ?? process.env,
              site: siteName,
              ...(opts.promptPassword ? { promptPassword: opts.promptPassword } : {}),
              ...(opts.logSince ? { logSince: opts.logSince } : {}),
            })
          : undefined;
        const os =
          typeof target === 'string'
            ? unreachableReport(d, siteName, 'ssh', `${d.host}:${d.port}: ${target}`)
            : await collectSsh(target, {
                windowMs,
                ...(opts.logSince ? { logSince: opts.logSince } : {}),
                onConnected: () => emit(d, index, 'collecting'),
              });
        report = bmc ? combineReports(os, (await bmc).report) : os;
        if (hmc) report = combineReports(report, await hmc);
      } else {
        report = await collectSnmpDevice(d as SiteSnmpTarget, siteName, {
          windowMs,
          env: opts.env ?? process.env,
          onCollecting: () => emit(d, index, 'collecting'),
          ...(opts.collectSnmp ? { collect: opts.collectSnmp } : {}),
        });
      }
    } catch (e) {
      // A source that throws despite its contract still yields a report for this device.
      report = unreachableReport(d, siteName, d.kind === 'server' ? 'ssh' : 'snmp', (e as Error).message);
    }
    const results = evaluateReport(report, overrides, { lang, timeZone: loaded.site.time_zone ?? DEFAULT_TIME_ZONE });
    const verdict = overallVerdict(results);
    const failed = report.measurements.length === 0 && report.gaps.length > 0;
    const inspection: DeviceInspection = {
      device: { name: d.name, kind: d.kind, host: d.host, port: d.port, ...(d.role ? { role: d.role } : {}), groups: d.groups },
      report,
      results,
      verdict,
      failed,
      durationMs: Date.now() - t0,
    };
    if (failed) emit(d, index, 'failed', { verdict, reason: report.gaps[0]?.reason ?? 'not inspected' });
    else if (verdict === 'normal') emit(d, index, 'done', { verdict });
    else {
      // A device that ends abnormal or unknown says why on its progress line: the first such check.
      const first = results.find((r) => r.verdict === verdict);
      emit(d, index, 'done', { verdict, reason: `${first?.check}: ${first?.reason ?? first?.actual ?? verdict}` });
    }
    return inspection;
  });
  const finished = Date.now();
  return {
    site: siteName,
    ...(loaded.site.customer ? { customer: loaded.site.customer } : {}),
    ...(loaded.site.contract_no?.trim() ? { contractNo: loaded.site.contract_no.trim() } : {}),
    timeZone: loaded.site.time_zone ?? DEFAULT_TIME_ZONE,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    concurrency,
    windowMs,
    ...(overrides ? { thresholds: overrides } : {}),
    summary: summarise(inspected),
    devices: inspected,
  };
}
