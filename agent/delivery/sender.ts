/**
 * Delivery: sends the spool oldest first, one report at a time.
 *   2xx             → delivered (200 {duplicate:true} too: the collector already has it), removed.
 *   400/409/413/415/422 → it will never succeed: moved to spool/rejected/, logged, next one.
 *   401/403         → the token is wrong or revoked: a clear error in the log and in status;
 *                     no further attempt with that token until it changes (the token file is
 *                     re-read every second) or the backoff delay passes (the token may be re-enabled).
 *   anything else, network errors → retry after an exponential backoff with jitter.
 * Idempotent: the report id is in the body, so a resend after a lost answer is a duplicate.
 * Several collectors (`collector.url` as a list): a network error or a 5xx moves to the next one
 * at once, and only a whole round of failures backs off (collectors.ts).
 */
import type { AgentLog } from '../log.js';
import type { Spool, SpoolEntry } from '../spool/index.js';
import { backoffDelay } from './backoff.js';
import { CollectorList } from './collectors.js';
import { answerMessage, postJson, type CollectorAnswer } from './http.js';

const PERMANENT = new Set([400, 409, 413, 415, 422]);
const AUTH = new Set([401, 403]);

export interface DeliveryState {
  lastDelivery?: { at: string; reportId: string; duplicate: boolean };
  lastError?: { at: string; message: string; kind: 'auth' | 'network' | 'server' | 'rejected' | 'corrupt' | 'token' };
  /** 'rejected' while the collector refuses the current token. */
  auth: 'ok' | 'rejected' | 'missing' | 'unknown';
  consecutiveFailures: number;
  nextAttemptAt?: string;
  delivered: number;
  rejected: number;
  attempts: number;
}

export interface SenderOptions {
  spool: Spool;
  collectors: CollectorList;
  token: () => string | undefined;
  timeoutMs: number;
  initialMs: number;
  maxMs: number;
  log: AgentLog;
  userAgent: string;
  onChange?: (s: DeliveryState) => void;
  /** How often to look for a new token while the collector refuses the current one. */
  tokenPollMs?: number;
}

export class Sender {
  readonly state: DeliveryState = { auth: 'unknown', consecutiveFailures: 0, delivered: 0, rejected: 0, attempts: 0 };
  private readonly o: SenderOptions;
  private stopped = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private refusedToken: string | undefined;
  /** Requests are numbered as they are sent (heartbeats and deliveries alike): see `ask`. */
  private asked = 0;
  /** The number of the request whose answer last set `auth`. */
  private authAsked = 0;

  constructor(o: SenderOptions) {
    this.o = o;
  }

  start(): void {
    this.loop ??= this.run().catch((e) => {
      this.o.log.error(`delivery stopped on an unexpected error: ${(e as Error).stack ?? String(e)}`);
    });
  }

  /** A new entry is in the spool, or the token may have changed: try now if idle. */
  wake(): void {
    this.wakeUp?.();
  }

  /** Stops after the request in flight (if any) has its answer or times out. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.loop;
  }

  /** The collector refused this token (heartbeat or delivery): both stop using it. */
  isRefused(token: string): boolean {
    return this.refusedToken === token;
  }

  /**
   * The number of a request about to be sent. A heartbeat and a delivery may be in flight at
   * once, and their answers may arrive in either order (a loaded host, two sockets): only an
   * answer to a request sent after the one that last set `auth` may change it. Otherwise a 2xx
   * sent before a revocation, answered after the first 401, flipped the state back to ok, and
   * the next 401 said "refused" a second time.
   */
  ask(): number {
    return ++this.asked;
  }

  /** What an answer says of the token; `asked` is the number `ask()` gave its request. */
  noteAnswer(token: string, a: CollectorAnswer, what: string, asked: number): void {
    if (AUTH.has(a.status)) this.authRefused(token, a, what, asked);
    else if (a.status < 300 && this.refusedToken === token) this.authAccepted(asked);
  }

  private authRefused(token: string, a: CollectorAnswer, what: string, asked: number): void {
    if (asked < this.authAsked) return; // older than what set the state: says nothing of it now
    this.authAsked = asked;
    const first = this.refusedToken !== token;
    this.refusedToken = token;
    this.state.auth = 'rejected';
    const message = `collector refused the agent token (${a.status} ${answerMessage(a)}) on ${what}; enroll a valid token: xunjian agent enroll --collector URL --token T --site S`;
    this.state.lastError = { at: new Date().toISOString(), message, kind: 'auth' };
    if (first) this.o.log.error(message);
    this.changed();
  }

  private authAccepted(asked: number): void {
    if (asked < this.authAsked) return;
    this.authAsked = asked;
    this.refusedToken = undefined;
    this.state.auth = 'ok';
    this.changed();
  }

  private changed(): void {
    this.o.onChange?.(this.state);
  }

  /** Sleeps `ms`, cut short by stop(), and (when waitingOnToken) by a token change or wake(). */
  private sleep(ms: number, until: 'timer' | 'wake' | 'token'): Promise<void> {
    return new Promise((resolve) => {
      let poll: NodeJS.Timeout | undefined;
      const done = () => {
        clearTimeout(timer);
        if (poll) clearInterval(poll);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = () => {
        if (this.stopped || until === 'wake') done();
      };
      if (until === 'token') {
        const refused = this.refusedToken;
        poll = setInterval(() => {
          const now = this.o.token();
          if (now && now !== refused) {
            this.o.log.info('agent token changed: retrying delivery');
            done();
          }
        }, this.o.tokenPollMs ?? 1000);
      }
    });
  }

  private async run(): Promise<void> {
    const { spool, log } = this.o;
    while (!this.stopped) {
      const entry = spool.oldest();
      if (!entry) {
        this.state.nextAttemptAt = undefined;
        await this.sleep(3_600_000, 'wake');
        continue;
      }
      const token = this.o.token();
      if (!token) {
        this.state.auth = 'missing';
        this.fail('token', 'no agent token: run xunjian agent enroll --collector URL --token T --site S (or set collector.token / XUNJIAN_AGENT_TOKEN)');
        await this.sleep(this.delay(), 'token');
        continue;
      }
      if (this.isRefused(token)) {
        await this.sleep(this.delay(), 'token');
        // After the wait, one attempt with the same token is allowed (it may have been re-enabled).
        if (this.stopped) break;
      }
      await this.deliver(entry, token);
    }
  }

  private delay(): number {
    // With several collectors a failure of one is followed at once by the next; the backoff
    // grows with whole rounds of failures, not with each collector's.
    const rounds = this.o.collectors.urls.length > 1 ? this.o.collectors.failedRounds : this.state.consecutiveFailures;
    const ms = backoffDelay(Math.max(0, rounds - 1), this.o.initialMs, this.o.maxMs);
    this.state.nextAttemptAt = new Date(Date.now() + ms).toISOString();
    this.changed();
    return ms;
  }

  private fail(kind: NonNullable<DeliveryState['lastError']>['kind'], message: string): void {
    const repeated = this.state.lastError?.message === message;
    this.state.consecutiveFailures += 1;
    this.state.lastError = { at: new Date().toISOString(), message, kind };
    if (!repeated) this.o.log.warn(message);
    this.changed();
  }

  private async deliver(entry: SpoolEntry, token: string): Promise<void> {
    const { spool, log } = this.o;
    let body: Buffer;
    try {
      body = spool.readBody(entry);
    } catch (e) {
      log.error(`spool entry ${entry.file} is damaged (${(e as Error).message}): set aside in ${spool.corruptDir}`);
      spool.setAside(entry, (e as Error).message);
      this.state.lastError = { at: new Date().toISOString(), message: `damaged spool entry set aside: ${(e as Error).message}`, kind: 'corrupt' };
      this.changed();
      return;
    }
    this.state.attempts += 1;
    let answer: CollectorAnswer;
    // Held while the collector has it: a collection that fills the spool meanwhile evicts the next
    // oldest instead, so a report is never both delivered and counted as lost.
    spool.hold(entry);
    const collector = this.o.collectors.current;
    const asked = this.ask();
    try {
      answer = await postJson(`${collector}/api/v1/reports`, token, body, this.o.timeoutMs, this.o.userAgent);
    } catch (e) {
      spool.release(entry);
      this.fail('network', `collector ${collector} unreachable (${(e as Error).message}); reports stay in the spool`);
      await this.nextCollector();
      return;
    }
    spool.release(entry);
    if (answer.status < 500) this.o.collectors.answered();
    if (answer.status >= 200 && answer.status < 300) {
      spool.remove(entry);
      if (this.state.auth !== 'ok' || this.refusedToken) this.authAccepted(asked);
      const duplicate = /"duplicate"\s*:\s*true/.test(answer.body);
      this.state.lastDelivery = { at: new Date().toISOString(), reportId: entry.meta.id, duplicate };
      if (this.state.consecutiveFailures > 0) log.info(`collector reachable again: delivering ${spool.depth + 1} queued report(s)`);
      this.state.consecutiveFailures = 0;
      this.state.delivered += 1;
      this.state.nextAttemptAt = undefined;
      if (this.state.lastError?.kind !== 'rejected' && this.state.lastError?.kind !== 'corrupt') this.state.lastError = undefined;
      log.debug(`delivered ${entry.meta.id}${duplicate ? ' (collector already had it)' : ''}`);
      this.changed();
      return;
    }
    if (AUTH.has(answer.status)) {
      this.state.consecutiveFailures += 1;
      this.authRefused(token, answer, `report ${entry.meta.id}`, asked);
      return;
    }
    if (PERMANENT.has(answer.status)) {
      const message = `collector refused report ${entry.meta.id} for good (${answer.status} ${answerMessage(answer)}): moved to ${spool.rejectedDir}`;
      log.error(message);
      spool.reject(entry, message);
      this.state.rejected += 1;
      this.state.lastError = { at: new Date().toISOString(), message, kind: 'rejected' };
      this.changed();
      return;
    }
    this.fail('server', `collector ${collector} answered ${answer.status} (${answerMessage(answer)}); will retry`);
    if (answer.status >= 500) await this.nextCollector();
    else await this.sleep(this.delay(), 'timer');
  }

  /** The current collector failed: the next one at once if it has not failed too, else a backoff. */
  private async nextCollector(): Promise<void> {
    const { collectors, log } = this.o;
    const failed = collectors.current;
    if (collectors.failedOver()) {
      log.warn(`delivering to collector ${collectors.current} (${failed} did not answer)`);
      return;
    }
    await this.sleep(this.delay(), 'timer');
  }
}
