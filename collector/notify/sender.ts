import type { Channel, ChannelDirectory, DeliveryResult, OutgoingMessage } from './channels/types.js';
import { backoffMs, ChannelPacer } from './pacing.js';
import type { NotifyRepository, OutboxRow } from './repository.js';

export interface SenderOptions {
  concurrency: number;
  maxAttempts: number;
  /** A send taking longer than this counts as failed (retried). */
  sendTimeoutMs: number;
  /** How long a round waits for its sends before the next round may start. */
  roundWaitMs: number;
}

/** What one round of sending did (the schedule resolves `nextRun()` with it). */
export interface SendResult {
  /** Messages claimed for sending this round (= concurrency: more may be due). */
  claimed: number;
  sent: number;
  retried: number;
  dead: number;
  deferred: number;
}

/** Hooks for /metrics, so the sender does not know the registry. */
export interface SenderEvents {
  /** `kind`: the channel's kind (email, webhook…; unknown when no such channel exists). */
  sent(kind: string, latencySeconds: number): void;
  failed(kind: string, outcome: 'retry' | 'dead'): void;
}

/** Claim batches per round: enough to fill the slots past messages their channel's pace holds back. */
const CLAIM_BATCHES = 4;

function withTimeout(p: Promise<DeliveryResult>, ms: number): Promise<DeliveryResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DeliveryResult>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'retry', reason: `no answer within ${ms} ms` }), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Sends what the outbox holds due, at most `concurrency` at once, each channel at its vendor's
 * pace. Exactly-once in the ordinary case, at-least-once at the edge:
 *  1. claim: the row becomes `sending` (committed, in a statement of its own) before the channel
 *     is called — no transaction is open while a message is on the wire;
 *  2. the channel accepts → the row becomes `sent` at once, before the next claim;
 *  3. a crash between 1 and 2 leaves it `sending` with a lease; once the lease has run out any
 *     collector sends it again (`releaseAbandoned`) with the SAME id — the only case of a second
 *     delivery, and the receiver recognises it (e-mail Message-ID and the webhook's id are the
 *     outbox id). With several collectors each row is claimed by one of them (repository
 *     `claimDue`: a conditional update; rows chosen FOR UPDATE SKIP LOCKED on PostgreSQL).
 * A retry waits 5 s doubling to 15 min (or the vendor's hint); after `maxAttempts` it is dead.
 */
export class NotifySender {
  private readonly inFlight = new Set<number>();

  constructor(
    private readonly repo: NotifyRepository,
    private readonly channels: ChannelDirectory,
    private readonly clock: () => Date,
    private readonly options: SenderOptions,
    private readonly events: SenderEvents,
    private readonly pacer = new ChannelPacer(),
  ) {}

  async sendDue(): Promise<SendResult> {
    const result: SendResult = { claimed: 0, sent: 0, retried: 0, dead: 0, deferred: 0 };
    const now = this.clock().getTime();
    const sends: Promise<void>[] = [];
    // Claims as many as there are free slots; a message its channel's pace holds back goes back
    // (due later), so the next batch brings others — a few batches at most per round.
    for (let batch = 0; batch < CLAIM_BATCHES; batch++) {
      const free = this.options.concurrency - this.inFlight.size;
      if (free <= 0) break;
      const rows = await this.repo.claimDue(now, free, this.options.sendTimeoutMs * 2);
      for (const row of rows) {
        const channel = await this.channels.get(row.channel);
        if (!channel) {
          await this.repo.markDead(row.id, `no channel named ${row.channel}`);
          this.events.failed('unknown', 'dead');
          result.dead++;
          continue;
        }
        const wait = this.pacer.take(channel, now);
        if (wait > 0) {
          await this.repo.putBack(row.id, now + wait);
          result.deferred++;
          continue;
        }
        this.inFlight.add(row.id);
        result.claimed++;
        sends.push(this.sendOne(row, channel, result).finally(() => this.inFlight.delete(row.id)));
      }
      if (rows.length < free) break;
    }
    // The round waits for its sends, but not for a slow relay: a send still going after
    // `roundWaitMs` finishes in the background (its row stays `sending`, never claimed twice)
    // and the next round starts on time for everything else.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(sends), new Promise((resolve) => (timer = setTimeout(resolve, this.options.roundWaitMs)))]);
    clearTimeout(timer);
    return result;
  }

  private async sendOne(row: OutboxRow, channel: Channel, result: SendResult): Promise<void> {
    const message: OutgoingMessage = {
      id: String(row.id),
      lang: row.lang,
      title: row.message.title,
      lines: row.message.lines,
      link: row.message.link,
      ...(row.priority ? { priority: row.priority } : {}),
      ...(row.address ? { to: [row.address] } : {}),
    };
    let outcome: DeliveryResult;
    try {
      outcome = await withTimeout(channel.send(message), this.options.sendTimeoutMs);
    } catch (err) {
      // A channel should answer with an outcome; one that throws is treated as a transient failure.
      outcome = { outcome: 'retry', reason: err instanceof Error ? err.message : String(err) };
    }
    const now = this.clock().getTime();
    const attempts = row.attempts; // the claim counted this one
    if (outcome.outcome === 'sent') {
      await this.repo.markSent(row.id, now, outcome.detail);
      this.events.sent(channel.kind, Math.max(0, now - row.dueAt) / 1000);
      result.sent++;
    } else if (outcome.outcome === 'retry' && attempts < this.options.maxAttempts) {
      await this.repo.markRetry(row.id, now + backoffMs(attempts, outcome.afterMs), outcome.reason);
      this.events.failed(channel.kind, 'retry');
      result.retried++;
    } else {
      const reason = outcome.outcome === 'retry' ? `${outcome.reason} (after ${attempts} attempts)` : outcome.reason;
      await this.repo.markDead(row.id, reason);
      this.events.failed(channel.kind, 'dead');
      result.dead++;
    }
  }
}
