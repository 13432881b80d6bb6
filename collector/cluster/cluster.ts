import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Store } from '../storage/store.js';
import { release, tryAcquire } from './leases.js';
import { ownerOf } from './share.js';

export interface ClusterOptions {
  /** How often a collector says it is alive. */
  heartbeatMs: number;
  /** A collector not heard from for this long is gone: its targets and jobs are taken over. */
  memberTtlMs: number;
  /** Wall time (members compare it across processes; the app's clock may be moved by tests). */
  now?: () => number;
}

export const CLUSTER_DEFAULTS: ClusterOptions = { heartbeatMs: 5_000, memberTtlMs: 15_000 };

/**
 * This collector among the others on one database. On SQLite the database has one collector by
 * construction (one process holds the file): every target is ours and every job runs here, with
 * no statement spent. On PostgreSQL:
 *  - membership: each collector heartbeats `cluster_members`; the live ones are those heard from
 *    within `memberTtlMs` (a kill -9 stops the heartbeat; a clean stop deletes the row at once);
 *  - sharing: an SNMP/BMC target is polled by its rendezvous owner among the live members, so a
 *    dead member's targets move to the others within `memberTtlMs` plus one poll-queue tick;
 *  - jobs once: a job (retention, the silence scan) runs in the collector holding its lease.
 */
export class Cluster {
  readonly id = randomUUID();
  private members: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => number;
  private readonly shared: boolean;

  constructor(
    private readonly store: Store,
    private readonly options: ClusterOptions = CLUSTER_DEFAULTS,
  ) {
    this.now = options.now ?? Date.now;
    this.shared = store.engine !== 'sqlite';
    this.members = [this.id];
  }

  async start(): Promise<void> {
    if (!this.shared) return;
    const now = this.now();
    await this.store.run('INSERT INTO cluster_members (id, host, pid, started_at, last_seen) VALUES (?, ?, ?, ?, ?)', [this.id, hostname(), process.pid, now, now]);
    await this.refresh();
    this.timer = setInterval(() => void this.beat().catch(() => undefined), this.options.heartbeatMs);
    this.timer.unref();
  }

  /** Says we are alive and reads who else is. */
  async beat(): Promise<void> {
    if (!this.shared) return;
    const now = this.now();
    await this.store.run('UPDATE cluster_members SET last_seen = ? WHERE id = ?', [now, this.id]);
    // Members gone for long are forgotten (a crashed collector never deletes its own row).
    await this.store.run('DELETE FROM cluster_members WHERE last_seen < ?', [now - 20 * this.options.memberTtlMs]);
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    const rows = await this.store.all<{ id: string }>('SELECT id FROM cluster_members WHERE last_seen >= ? ORDER BY id', [this.now() - this.options.memberTtlMs]);
    const live = rows.map((r) => r.id);
    // We are alive as long as we run, whatever a slow heartbeat says.
    this.members = live.includes(this.id) ? live : [...live, this.id].sort();
  }

  /** The live collectors as last read (ids, sorted). */
  live(): readonly string[] {
    return this.members;
  }

  /** Whether this collector polls the target `key` (e.g. `snmp:17`). */
  mine(key: string): boolean {
    return !this.shared || ownerOf(key, this.members) === this.id;
  }

  /** Whether this collector runs `job` now: it holds (or just took) its lease for `ttlMs`. */
  async holds(job: string, ttlMs: number): Promise<boolean> {
    if (!this.shared) return true;
    return (await tryAcquire(this.store, job, this.id, ttlMs, this.now())) !== undefined;
  }

  /** Leaves at once: the others take our targets on their next heartbeat and our jobs' leases now. */
  async stop(jobs: readonly string[] = []): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (!this.shared) return;
    for (const job of jobs) await release(this.store, job, this.id);
    await this.store.run('DELETE FROM cluster_members WHERE id = ?', [this.id]);
  }
}
