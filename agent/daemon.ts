/**
 * The agent daemon. Its jobs, on one shared timer (agent/wakeups.ts):
 *   - every `sampleEvery` (5 s): one read of /proc/stat into the CPU sampler (microseconds);
 *   - every `cadence` (5 min): the heavy collection (disks, SMART, IPMI, logs…) → one report,
 *     committed to the spool before anything is sent, then the log cursor is saved;
 *   - every `heartbeat` (60 s): a sign of life, so the collector tells silence from a quiet host;
 *   - the status file, at the next wakeup after something changed.
 * Delivery runs on its own (agent/delivery): the spool drains whenever the collector answers.
 */
import { hostname as osHostname } from 'node:os';
import { collectLocal, createCpuSampler, type CpuSampler } from '../checks/sources/local/index.js';
import { Report, validate, ValidationError, type DeviceIdentity, type FieldIssue, type Gap, type Measurement } from '../schemas/index.js';
import { readToken, type ResolvedAgentConfig } from './config.js';
import { closeConnections, CollectorList, postJson, Sender } from './delivery/index.js';
import { createLog, type AgentLog } from './log.js';
import { Spool, type SpoolEvent } from './spool/index.js';
import { AgentState, type AgentStatus, type EvictionLedger } from './state.js';
import { Wakeups } from './wakeups.js';

export const AGENT_VERSION = '0.1.0';
export const PRODUCER = `xunjian-agent/${AGENT_VERSION}`;
const IDENTITY_REFRESH_MS = 3_600_000;
/** The status file may lag what it tells by this much at most (it is written at the next wakeup). */
const STATUS_MAX_DELAY_MS = 5000;
/** How early a sample or a collection may run to share a wakeup with the other. */
const COINCIDE_MS = 25;

export interface AgentHandle {
  stop(): Promise<void>;
  readonly spool: Spool;
  readonly sender: Sender;
}

type Collect = typeof collectLocal;

export interface AgentDeps {
  log?: AgentLog;
  collect?: Collect;
  sampler?: CpuSampler;
  now?: () => Date;
}

/** Reports evicted unsent: told to the collector in the next report as an SXKR-006 gap + a count. */
export function evictionNotice(l: EvictionLedger, spoolDir: string, maxBytes: number, at: string): { gap: Gap; measurement: Measurement } | undefined {
  if (l.pending <= 0) return undefined;
  const span = l.pendingFrom && l.pendingTo ? ` spooled ${l.pendingFrom} … ${l.pendingTo}` : '';
  return {
    gap: {
      check: 'SXKR-006',
      component: 'agent spool',
      reason: `${l.pending} earlier report(s)${span} were evicted from the agent's spool before the collector could take them (spool bound ${maxBytes} bytes or age); error-log entries they held were not delivered`,
      command: spoolDir,
    },
    measurement: {
      check: 'SXKR-006',
      component: 'agent spool',
      metric: 'agent.spool.evicted',
      value: l.pending,
      detail: `evicted since the last report; ${l.total} in total`,
      command: spoolDir,
      at,
    },
  };
}

/**
 * The compiled check first: walking TypeBox's error iterator over a valid 60-measurement report
 * cost more CPU than reading the host; the issues are listed only when the report is wrong.
 */
function reportIssues(report: Report): FieldIssue[] {
  try {
    validate(Report, report, 'report');
    return [];
  } catch (e) {
    return e instanceof ValidationError ? e.issues.slice(0, 5) : [{ path: '', message: (e as Error).message }];
  }
}

export async function startAgent(config: ResolvedAgentConfig, deps: AgentDeps = {}): Promise<AgentHandle> {
  const log = deps.log ?? createLog();
  const collect = deps.collect ?? collectLocal;
  const now = deps.now ?? (() => new Date());
  const state = new AgentState(config.stateDir);
  const agentId = state.agentId();
  const startedAt = now().toISOString();
  let ledger = state.evictions();
  let corruptTotal = 0;
  let rejectedTotal = 0;
  const status: Partial<AgentStatus> = {};
  let running = true;
  // Sample, collection, heartbeat and status file share wakeups (agent/wakeups.ts). The collection
  // runs first when both are due: it takes the CPU reading itself and moves the sample's turn, so
  // no second reading follows in the same wakeup. (Its report reaches the status file at the next
  // wakeup: the collection only starts here.)
  const clock = new Wakeups(['collect', 'sample', 'heartbeat', 'status'], undefined, (job, e) =>
    log.error(`${job} failed: ${(e as Error).stack ?? String(e)}`),
  );
  // Before the spool is opened: its recovery at start already reports events.
  const statusDelayMs = Math.min(STATUS_MAX_DELAY_MS, Math.max(1000, config.sampleEveryMs));

  const onSpoolEvent = (e: SpoolEvent) => {
    if (e.kind === 'corrupt') {
      corruptTotal += 1;
      log.error(`spool: ${e.reason}: set aside as ${e.file}`);
    } else if (e.kind === 'evicted') {
      const when = new Date(e.entry.meta.createdAt).toISOString();
      // A report that itself carried an eviction notice takes that notice with it: count it again.
      ledger = {
        total: ledger.total + 1,
        pending: ledger.pending + 1 + (e.entry.meta.evictionsTold ?? 0),
        pendingFrom: ledger.pendingFrom && ledger.pending > 0 ? ledger.pendingFrom : when,
        pendingTo: when,
        lastAt: now().toISOString(),
      };
      state.saveEvictions(ledger);
      log.warn(`spool: evicted report ${e.entry.meta.id} spooled ${when} (${e.reason} bound reached; ${ledger.total} evicted in total); the next report tells the collector`);
    } else {
      rejectedTotal += 1;
    }
    scheduleStatus();
  };

  const cursorRecord = state.logCursor();
  const spool = new Spool({
    dir: config.spoolDir,
    maxBytes: config.spoolMaxBytes,
    maxAgeMs: config.spoolMaxAgeMs,
    minSeq: cursorRecord?.seq ?? 0,
    onEvent: onSpoolEvent,
  });
  // A crash between spooling a report and saving its cursor: the spool entry is the truth.
  let logCursor = cursorRecord?.cursor;
  let logSince = cursorRecord ? new Date(cursorRecord.at) : new Date(now().getTime() - config.windowMs);
  let cursorSeq = cursorRecord?.seq ?? 0;
  for (const entry of spool.list()) {
    if (entry.seq > cursorSeq && typeof entry.meta.logCursor === 'string') {
      logCursor = entry.meta.logCursor;
      cursorSeq = entry.seq;
      logSince = new Date(entry.meta.createdAt);
    }
  }
  if (cursorSeq !== (cursorRecord?.seq ?? 0)) {
    state.saveLogCursor({ cursor: logCursor!, seq: cursorSeq, at: logSince.toISOString() });
    log.info('log cursor recovered from the spool (the agent stopped between spooling a report and saving its cursor)');
  }
  if (spool.depth > 0) log.info(`spool: ${spool.depth} report(s) (${spool.bytes} bytes) waiting from before; delivering`);

  const writeStatus = () => {
    const s = sender.state;
    const full: AgentStatus = {
      pid: process.pid,
      running,
      startedAt,
      updatedAt: now().toISOString(),
      version: AGENT_VERSION,
      agentId,
      collector: collectors.current,
      ...(config.site ? { site: config.site } : {}),
      hostname: config.hostname ?? osHostname(),
      cadenceMs: config.cadenceMs,
      ...status,
      ...(s.lastDelivery ? { lastDelivery: s.lastDelivery } : {}),
      ...(s.lastError ? { lastError: s.lastError } : {}),
      ...(s.nextAttemptAt ? { nextAttemptAt: s.nextAttemptAt } : {}),
      auth: s.auth,
      spool: {
        dir: spool.dir,
        depth: spool.depth,
        bytes: spool.bytes,
        maxBytes: config.spoolMaxBytes,
        evictedTotal: ledger.total,
        evictedUnreported: ledger.pending,
        corruptTotal,
        rejectedTotal,
      },
      delivered: s.delivered,
      attempts: s.attempts,
    };
    try {
      state.saveStatus(full);
    } catch (e) {
      log.warn(`cannot write the status file: ${(e as Error).message}`);
    }
  };
  // A collection, its delivery and a heartbeat: one status file (temp file, chmod, rename) for all
  // of them, written at the next wakeup the agent has anyway (the next CPU sample, by default
  // 5 s away), not at one of its own.
  function scheduleStatus(): void {
    // writeStatus is read when the job runs: the spool's recovery calls this before it is defined.
    if (!clock.has('status')) clock.in('status', 0, statusDelayMs, () => writeStatus());
  }

  const token = () => readToken(config);
  const collectors = new CollectorList(config.collectorUrls);
  const sender = new Sender({
    spool,
    collectors,
    token,
    timeoutMs: config.requestTimeoutMs,
    initialMs: config.retryInitialMs,
    maxMs: config.retryMaxMs,
    log,
    userAgent: PRODUCER,
    onChange: scheduleStatus,
  });
  sender.start();

  // Cheap sampling between collections.
  const sampler = deps.sampler ?? createCpuSampler();
  const sampleOnce = () => sampler.sample().catch((e) => log.debug(`cpu sample failed: ${(e as Error).message}`));
  // Samples and collections may run a few ms early: the collection's next turn counts from its
  // start, the sample's from the reading inside it, a fraction of a millisecond apart; without
  // this slack the later of the two would wake the process again a moment after the first.
  const coincideMs = Math.min(COINCIDE_MS, config.sampleEveryMs / 4, config.cadenceMs / 4);
  const scheduleSample = () =>
    clock.in('sample', config.sampleEveryMs - coincideMs, config.sampleEveryMs, () => {
      void sampleOnce();
      scheduleSample();
    });
  await sampleOnce();
  scheduleSample();

  // The heavy collection at the cadence.
  // The identity (model, serial, OS, addresses) changes rarely: taken once, then refreshed hourly
  // (on other OSes than Linux it runs a dozen commands through systeminformation).
  let identity: { value: DeviceIdentity; at: number } | undefined;
  let collecting: Promise<void> | undefined;
  const collectOnce = async () => {
    const started = Date.now();
    const cpuBefore = process.cpuUsage();
    // This reading is the sample due now: the next one is a sampling interval from here, so the
    // samples keep the collection's phase and share its wakeup when the cadence is a multiple.
    scheduleSample();
    await sampleOnce();
    const cpu = sampler.summary();
    const { report, logCursor: nextCursor } = await collect({
      windowMs: config.windowMs,
      sampleEveryMs: config.sampleEveryMs,
      requiredServices: config.requiredServices,
      ...(logCursor ? { logCursor } : { logSince }),
      now,
      ...(cpu ? { cpu } : {}),
      ...(identity && Date.now() - identity.at < IDENTITY_REFRESH_MS ? { identity: identity.value } : {}),
    });
    if (!identity || Date.now() - identity.at >= IDENTITY_REFRESH_MS) identity = { value: report.identity, at: Date.now() };
    sampler.reset();
    const at = now().toISOString();
    const enabled = new Set<string>(config.checks);
    const out: Report = {
      ...report,
      source: 'agent',
      ...(config.site ? { site: config.site } : {}),
      identity: {
        ...report.identity,
        ...(config.hostname ? { hostname: config.hostname } : {}),
        ...(config.role ? { role: config.role } : {}),
      },
      measurements: report.measurements.filter((m) => enabled.has(m.check)),
      gaps: report.gaps.filter((g) => enabled.has(g.check)),
      producer: PRODUCER,
    };
    const told = ledger.pending;
    const notice = evictionNotice(ledger, spool.dir, config.spoolMaxBytes, at);
    if (notice) {
      out.measurements.push(notice.measurement);
      out.gaps.push(notice.gap);
    }
    const issues = reportIssues(out);
    if (issues.length) log.warn(`report ${out.id} does not match the schema (the collector will refuse it): ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    const entry = spool.write(JSON.stringify(out), {
      id: out.id,
      ...(nextCursor ? { logCursor: nextCursor } : {}),
      ...(told > 0 ? { evictionsTold: told } : {}),
    });
    // The report is durable: only now does the log cursor move past its entries.
    if (nextCursor) logCursor = nextCursor;
    logSince = new Date(at);
    state.saveLogCursor({ cursor: logCursor ?? '', seq: entry.seq, at });
    if (told > 0) {
      ledger = { ...ledger, pending: Math.max(0, ledger.pending - told) };
      if (ledger.pending === 0) ledger = { total: ledger.total, pending: 0, ...(ledger.lastAt ? { lastAt: ledger.lastAt } : {}) };
      state.saveEvictions(ledger);
    }
    const cpuUsed = process.cpuUsage(cpuBefore);
    status.lastCollection = {
      at,
      reportId: out.id,
      measurements: out.measurements.length,
      gaps: out.gaps.length,
      durationMs: Date.now() - started,
      // Includes whatever else ran meanwhile (delivery, heartbeat); the commands' own CPU is not in it.
      cpuMs: Math.round((cpuUsed.user + cpuUsed.system) / 100) / 10,
    };
    delete status.lastCollectionError;
    log.debug(`report ${out.id} spooled (${out.measurements.length} measurements, ${out.gaps.length} gaps)`);
    sender.wake();
    scheduleStatus();
  };
  const scheduleCollection = (delayMs: number) => {
    if (!running) return;
    clock.in('collect', delayMs - coincideMs, delayMs, () => {
      const began = performance.now();
      collecting = collectOnce()
        .catch((e) => {
          status.lastCollectionError = { at: now().toISOString(), message: (e as Error).message };
          log.error(`collection failed: ${(e as Error).stack ?? String(e)}`);
          scheduleStatus();
        })
        .finally(() => {
          collecting = undefined;
          scheduleCollection(Math.max(0, config.cadenceMs - (performance.now() - began)));
        });
    });
  };
  scheduleCollection(Math.min(config.cadenceMs, config.windowMs));

  // Heartbeat.
  let beating: Promise<void> | undefined;
  const beat = async () => {
    const t = token();
    if (!t || sender.isRefused(t)) return; // no busy loop on a refused token: delivery owns the retry
    const body = JSON.stringify({ agentId, hostname: config.hostname ?? osHostname(), version: AGENT_VERSION, ...(config.site ? { site: config.site } : {}) });
    const asked = sender.ask();
    try {
      const a = await postJson(`${collectors.current}/api/v1/heartbeat`, t, body, config.requestTimeoutMs, PRODUCER);
      status.lastHeartbeat = { at: now().toISOString(), status: a.status };
      sender.noteAnswer(t, a, 'heartbeat', asked);
      if (a.status < 300) sender.wake();
    } catch (e) {
      log.debug(`heartbeat failed: ${(e as Error).message}`);
    }
    scheduleStatus();
  };
  // A heartbeat may go up to one sampling interval early, so it rides on a sample's wakeup.
  const beatEarlyMs = Math.min(config.sampleEveryMs, config.heartbeatMs / 4);
  const scheduleBeat = () =>
    clock.in('heartbeat', config.heartbeatMs - beatEarlyMs, config.heartbeatMs, () => {
      beating ??= beat().finally(() => (beating = undefined));
      scheduleBeat();
    });
  beating = beat().finally(() => (beating = undefined));
  scheduleBeat();

  writeStatus();
  log.info(`agent ${agentId} started: collector ${config.collectorUrls.join(', ')}, site ${config.site ?? '(from token)'}, cadence ${config.cadenceMs} ms, spool ${spool.dir}`);

  return {
    spool,
    sender,
    async stop() {
      if (!running) return;
      running = false;
      clock.stop();
      sampler.close();
      await collecting; // a report being built is finished and spooled, not lost
      await Promise.all([sender.stop(), beating]);
      closeConnections();
      writeStatus();
      log.info(`agent stopped; ${spool.depth} report(s) left in the spool for next start`);
    },
  };
}
