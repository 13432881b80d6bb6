/**
 * What the agent keeps in its state dir (default /var/lib/xunjian-agent):
 *   agent-id          a random id made once, sent in heartbeats
 *   log-cursor.json   the error-log cursor and the spool seq of the report that carried it
 *   evictions.json    spool evictions: total, and those not yet reported to the collector
 *   status.json       what `xunjian agent status` shows
 *   token             the agent token (0600), written by `agent enroll`
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './config.js';

export interface LogCursorRecord {
  cursor: string;
  /** Spool seq of the report holding the entries up to this cursor. */
  seq: number;
  at: string;
}

export interface EvictionLedger {
  total: number;
  /** Evicted since the last report that told the collector. */
  pending: number;
  /** Window of the evicted reports not yet told (spool times, ISO). */
  pendingFrom?: string;
  pendingTo?: string;
  lastAt?: string;
}

export interface AgentStatus {
  pid: number;
  running: boolean;
  startedAt: string;
  updatedAt: string;
  version: string;
  agentId: string;
  collector: string;
  site?: string;
  hostname: string;
  cadenceMs: number;
  lastCollection?: { at: string; reportId: string; measurements: number; gaps: number; durationMs: number; cpuMs?: number };
  lastCollectionError?: { at: string; message: string };
  lastHeartbeat?: { at: string; status: number };
  lastDelivery?: { at: string; reportId: string; duplicate: boolean };
  lastError?: { at: string; message: string; kind: string };
  auth: string;
  nextAttemptAt?: string;
  spool: { dir: string; depth: number; bytes: number; maxBytes: number; evictedTotal: number; evictedUnreported: number; corruptTotal: number; rejectedTotal: number };
  delivered: number;
  attempts: number;
}

function readJson<T>(path: string): T | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export class AgentState {
  readonly dir: string;
  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  agentId(): string {
    const file = this.path('agent-id');
    const existing = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    if (existing) return existing;
    const id = `agent-${randomUUID()}`;
    writeFileAtomic(file, `${id}\n`);
    return id;
  }

  logCursor(): LogCursorRecord | undefined {
    return readJson<LogCursorRecord>(this.path('log-cursor.json'));
  }

  saveLogCursor(r: LogCursorRecord): void {
    writeFileAtomic(this.path('log-cursor.json'), `${JSON.stringify(r)}\n`, 0o600);
  }

  evictions(): EvictionLedger {
    return readJson<EvictionLedger>(this.path('evictions.json')) ?? { total: 0, pending: 0 };
  }

  saveEvictions(l: EvictionLedger): void {
    writeFileAtomic(this.path('evictions.json'), `${JSON.stringify(l)}\n`, 0o600);
  }

  saveStatus(s: AgentStatus): void {
    writeFileAtomic(this.path('status.json'), `${JSON.stringify(s, null, 2)}\n`, 0o644);
  }
}

export function readStatus(stateDir: string): AgentStatus | undefined {
  return readJson<AgentStatus>(join(stateDir, 'status.json'));
}
