/** `agent status`: what the running (or last) agent wrote, checked against the live process and spool. */
import { spoolDepth } from './spool/index.js';
import { readStatus, type AgentStatus } from './state.js';
import type { ResolvedAgentConfig } from './config.js';

export interface StatusView {
  status: AgentStatus | undefined;
  alive: boolean;
  spool: ReturnType<typeof spoolDepth>;
  /** 0 healthy, 1 a problem to act on (not running, token refused, delivery failing), 3 no status yet. */
  exitCode: 0 | 1 | 3;
  problems: string[];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function statusView(config: Pick<ResolvedAgentConfig, 'stateDir' | 'spoolDir'>): StatusView {
  const status = readStatus(config.stateDir);
  const spool = spoolDepth(config.spoolDir);
  if (!status) return { status, alive: false, spool, exitCode: 3, problems: [`no status file in ${config.stateDir}: the agent has not run yet`] };
  const isAlive = status.running && alive(status.pid);
  const problems: string[] = [];
  if (!isAlive) problems.push('the agent is not running');
  if (status.auth === 'rejected') problems.push(`the collector refuses the agent token: ${status.lastError?.message ?? ''}`);
  if (status.auth === 'missing') problems.push('no agent token: run xunjian agent enroll');
  if (status.lastError && status.lastError.kind !== 'auth') problems.push(`last error (${status.lastError.kind}) at ${status.lastError.at}: ${status.lastError.message}`);
  if (status.lastCollectionError) problems.push(`last collection failed at ${status.lastCollectionError.at}: ${status.lastCollectionError.message}`);
  const blocking = !isAlive || status.auth === 'rejected' || status.auth === 'missing' || (status.lastError?.kind === 'network' || status.lastError?.kind === 'server');
  return { status, alive: isAlive, spool, exitCode: blocking ? 1 : 0, problems };
}

export function formatStatus(v: StatusView): string {
  const s = v.status;
  if (!s) return v.problems.join('\n');
  const lines = [
    `agent:          ${v.alive ? `running (pid ${s.pid}, since ${s.startedAt})` : `NOT RUNNING (last pid ${s.pid}, status of ${s.updatedAt})`}`,
    `agent id:       ${s.agentId}  version ${s.version}`,
    `device:         ${s.hostname}${s.site ? ` at site ${s.site}` : ''}`,
    `collector:      ${s.collector}`,
    `token:          ${s.auth === 'rejected' ? 'REFUSED by the collector' : s.auth === 'missing' ? 'MISSING' : s.auth === 'ok' ? 'accepted' : 'not used yet'}`,
    `last delivery:  ${s.lastDelivery ? `${s.lastDelivery.at} (report ${s.lastDelivery.reportId}${s.lastDelivery.duplicate ? ', already there' : ''})` : 'none yet'}`,
    `last report:    ${s.lastCollection ? `${s.lastCollection.at} (${s.lastCollection.measurements} measurements, ${s.lastCollection.gaps} gaps, ${s.lastCollection.durationMs} ms)` : 'none yet'}`,
    `last heartbeat: ${s.lastHeartbeat ? `${s.lastHeartbeat.at} (HTTP ${s.lastHeartbeat.status})` : 'none yet'}`,
    `spool:          ${v.spool.depth} report(s), ${v.spool.bytes} bytes of ${s.spool.maxBytes} in ${s.spool.dir}`,
    `                evicted ${s.spool.evictedTotal} (unreported ${s.spool.evictedUnreported}), corrupt set aside ${v.spool.corrupt}, rejected ${v.spool.rejected}`,
    `delivered:      ${s.delivered} report(s) this run, ${s.attempts} attempt(s)${s.nextAttemptAt ? `, next attempt ${s.nextAttemptAt}` : ''}`,
    `last error:     ${s.lastError ? `${s.lastError.at} [${s.lastError.kind}] ${s.lastError.message}` : 'none'}`,
  ];
  if (v.problems.length) lines.push('', ...v.problems.map((p) => `! ${p}`));
  return lines.join('\n');
}
