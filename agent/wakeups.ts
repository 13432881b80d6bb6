/**
 * The daemon's one timer. On a virtual machine, waking a sleeping process can cost more than
 * most of what it then does: on the project's 2-vCPU VM an empty node timer costs ~0.9 ms of CPU
 * per wakeup (python's sleep loop 0.3 ms), cold caches and all, and reading /proc/stat adds
 * ~0.3 ms. The daemon had four clocks of its own (CPU sample, collection, heartbeat, status file)
 * whose phases drifted apart, so a 30 s cycle paid nine or ten timer wakeups (strace) for six
 * samples' worth of work.
 *
 * Each job here is due within a window [earliest, latest]. The timer fires at the earliest
 * `latest` of all jobs, and then every job whose window has opened runs in that one wakeup, in
 * the order of `ranks`. A job runs once per `set`; it sets itself again for its next turn.
 */
export interface WakeupJob {
  earliest: number;
  latest: number;
  run: () => void;
}

export class Wakeups {
  private readonly jobs = new Map<string, WakeupJob>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private firing = false;
  private stopped = false;

  /**
   * `ranks`: the order jobs run in when due together (a job not listed runs last).
   * `now`: a monotonic clock in ms (timers follow the monotonic clock, not the wall clock).
   */
  constructor(
    private readonly ranks: readonly string[],
    private readonly now: () => number = () => performance.now(),
    private readonly onError: (name: string, e: unknown) => void = () => undefined,
  ) {}

  /** Sets (or moves) job `name` to run once within [earliest, latest] (monotonic ms). */
  set(name: string, earliest: number, latest: number, run: () => void): void {
    if (this.stopped) return;
    this.jobs.set(name, { earliest: Math.min(earliest, latest), latest, run });
    this.arm();
  }

  /** Sets job `name` to run within [now + earliestInMs, now + latestInMs]. */
  in(name: string, earliestInMs: number, latestInMs: number, run: () => void): void {
    const t = this.now();
    this.set(name, t + earliestInMs, t + latestInMs, run);
  }

  has(name: string): boolean {
    return this.jobs.has(name);
  }

  clear(name: string): void {
    this.jobs.delete(name);
    this.arm();
  }

  /** No job runs after this; set() is ignored. */
  stop(): void {
    this.stopped = true;
    this.jobs.clear();
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    if (this.firing) return; // fire() arms once every due job has run
    let at = Infinity;
    for (const j of this.jobs.values()) at = Math.min(at, j.latest);
    if (at === this.timerAt && this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = at;
    if (at === Infinity) return;
    this.timer = setTimeout(() => this.fire(), Math.max(0, Math.ceil(at - this.now())));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    this.firing = true;
    try {
      // Looked up at its turn, not listed up front: a job run earlier in this wakeup may move a
      // later one (the collection reads the CPU sample itself and moves the sample's turn).
      const t = this.now();
      const order = [...this.ranks, ...[...this.jobs.keys()].filter((k) => !this.ranks.includes(k))];
      for (const name of order) {
        const job = this.jobs.get(name);
        // 1 ms of slack: a node timer may fire within its last millisecond.
        if (!job || job.earliest > t + 1) continue;
        this.jobs.delete(name);
        try {
          job.run();
        } catch (e) {
          this.onError(name, e); // one job's fault must not stop the others, nor the timer
        }
      }
    } finally {
      this.firing = false;
      this.arm();
    }
  }
}
