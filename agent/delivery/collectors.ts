/**
 * The collectors an agent delivers to: one, or several sharing one database (issue 13). The agent
 * stays with the collector that answered last — moving back to the first after every success
 * would split a burst between two and double the connections — and moves to the next one when a
 * request gets no answer or a 5xx. When every collector of the list has failed in a row, the
 * sender backs off before the next round; reports wait in the spool meanwhile. A resend to
 * another collector is safe: the report id is in the body, and collectors on one database
 * answer `duplicate` for a report one of them already stored.
 */
export class CollectorList {
  private index = 0;
  /** Failures in a row since the last answer that counted (any collector). */
  private failuresInRow = 0;

  constructor(readonly urls: readonly string[]) {
    if (urls.length === 0) throw new Error('no collector URL');
  }

  /** The collector to send to now. */
  get current(): string {
    return this.urls[this.index]!;
  }

  /** The current collector answered (whatever the status, it is up): the round starts over. */
  answered(): void {
    this.failuresInRow = 0;
  }

  /**
   * The current collector gave no usable answer: the next one becomes current. True when that
   * one has not failed yet in this round (send to it at once), false when every collector has
   * failed in a row (back off first).
   */
  failedOver(): boolean {
    this.failuresInRow += 1;
    this.index = (this.index + 1) % this.urls.length;
    return this.failuresInRow % this.urls.length !== 0;
  }

  /** Complete rounds of failures in a row: what the backoff grows with. */
  get failedRounds(): number {
    return Math.floor(this.failuresInRow / this.urls.length);
  }
}
