/** A FIFO lock for async work: one holder at a time, the others queued in arrival order. */
export class AsyncLock {
  private tail: Promise<void> = Promise.resolve();
  private holders = 0;

  get held(): boolean {
    return this.holders > 0;
  }

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.tail;
    this.tail = new Promise<void>((resolve) => {
      release = () => {
        this.holders--;
        resolve();
      };
    });
    this.holders++;
    await previous;
    return release;
  }

  /** Runs fn holding the lock. */
  async with<T>(fn: () => T | Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}
