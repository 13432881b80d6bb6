/**
 * The pollers' schedule: every `tickMs` the targets are re-read and each one due (`intervalS`
 * after its last poll started) is queued; at most `concurrency` polls run at once, each its own
 * task, so a dead device holds one slot for its timeout and never another device's turn.
 * Shared by the SNMP poller and the BMC/HMC poller. `dueTargets(now)` is the one place the targets
 * polled this round are chosen: those due in the database, of this collector's share (`mine`).
 */
export interface Scheduled {
  id: number;
  lastPollAt: number | null;
  intervalS: number;
}

export interface PollQueueOptions {
  concurrency: number;
  /** Default 1000 ms. */
  tickMs?: number;
  now: () => number;
  /** The targets due at `now`, every collector's (the repository's `due`). */
  due: (now: number) => Promise<Scheduled[]>;
  /** Whether this collector polls the target (its share among the live collectors, collector/cluster); default: all. */
  mine?: (id: number) => boolean;
  poll: (id: number) => Promise<void>;
  /** A poll that threw (a bug, not a device's failure: those are results); id 0: reading the schedule failed. */
  failed: (e: unknown, id: number) => void;
  /** After a poll: true to poll the target again at once (entries arrived meanwhile). */
  again?: (id: number) => boolean;
}

export class PollQueue {
  private timer: NodeJS.Timeout | undefined;
  /** Queued or polling. */
  private readonly running = new Set<number>();
  private readonly queued: number[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private stopped = false;
  private ticking: Promise<void> | undefined;
  private tickAgain: Promise<void> | undefined;

  constructor(private readonly o: PollQueueOptions) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  isRunning(id: number): boolean {
    return this.running.has(id);
  }

  start(): void {
    this.stopped = false;
    const tick = () => void this.tick().catch((e: unknown) => this.o.failed(e, 0));
    tick();
    this.timer = setInterval(tick, this.o.tickMs ?? 1000);
    this.timer.unref();
  }

  /** Stops scheduling and waits for the polls in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.queued.length = 0;
    await Promise.allSettled([this.ticking, ...this.inFlight]);
  }

  /**
   * Queues every target that is due and not already polling or queued. One reading of the targets
   * at a time; asked for while one runs, another follows it (a target added meanwhile is seen).
   */
  tick(): Promise<void> {
    if (this.ticking) {
      this.tickAgain ??= this.ticking.then(() => {
        this.tickAgain = undefined;
        return this.tick();
      });
      return this.tickAgain;
    }
    this.ticking = this.queueDue().finally(() => (this.ticking = undefined));
    return this.ticking;
  }

  /**
   * The targets to poll this round: due at `now` (never polled, or `intervalS` since their last
   * poll began), this collector's, and not already polling or queued. Ids in the database's order.
   */
  async dueTargets(now: number): Promise<number[]> {
    const due = await this.o.due(now);
    return due.filter((t) => !this.running.has(t.id) && (this.o.mine?.(t.id) ?? true)).map((t) => t.id);
  }

  private async queueDue(): Promise<void> {
    if (this.stopped) return;
    for (const id of await this.dueTargets(this.o.now())) {
      // Queued by soon() while the targets were read.
      if (this.running.has(id)) continue;
      this.running.add(id);
      this.queued.push(id);
    }
    this.drain();
  }

  /** Polls `id` ahead of the others, unless it is already polling or queued. */
  soon(id: number): void {
    if (this.stopped || this.running.has(id)) return;
    this.running.add(id);
    this.queued.unshift(id);
    this.drain();
  }

  private drain(): void {
    while (!this.stopped && this.inFlight.size < this.o.concurrency && this.queued.length) {
      const id = this.queued.shift()!;
      const p: Promise<void> = this.o
        .poll(id)
        .catch((e: unknown) => this.o.failed(e, id))
        .finally(() => {
          this.running.delete(id);
          this.inFlight.delete(p);
          if (!this.stopped && this.o.again?.(id)) {
            this.running.add(id);
            this.queued.unshift(id);
          }
          this.drain();
        });
      this.inFlight.add(p);
    }
  }
}
