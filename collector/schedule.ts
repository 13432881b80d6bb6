/**
 * A task the collector runs on an interval, whose runs can be waited for. Tests move the app's
 * clock, then wait on `nextRun()` — an event of the schedule itself — instead of polling for an
 * effect against a wall-clock deadline that a loaded machine can miss.
 */
export interface Interval<T> {
  /** Resolves with the result of the first run that begins after this call (it reads the clock as it is now). */
  nextRun(): Promise<T>;
  /** Stops the timer; waiters still pending are never resolved by a run. */
  stop(): void;
}

/** Runs `task` every `everyMs` (unref'd: it never keeps the process alive); a throwing task is the caller's to catch. */
export function onInterval<T>(everyMs: number, task: () => T | Promise<T>): Interval<T> {
  let waiting: ((result: T | Promise<T>) => void)[] = [];
  const timer = setInterval(() => {
    const told = waiting;
    waiting = [];
    const result = task();
    for (const resolve of told) resolve(result);
  }, everyMs);
  timer.unref();
  return {
    nextRun: () => new Promise<T>((resolve) => waiting.push(resolve)),
    stop: () => clearInterval(timer),
  };
}
