import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * One step of the log-in throttle: at most `failures` failed log-ins per key within `windowMs`.
 * Several steps over the same key make the delays grow: the first few typos cost a minute, a
 * guesser who goes on waits a quarter of an hour, then hours.
 */
export interface ThrottleStep {
  failures: number;
  windowMs: number;
}

export interface ThrottleSettings {
  /** Keyed by (user name, source address): only the guessing source is slowed for that user. */
  perUserAndSource: readonly ThrottleStep[];
  /** Keyed by source address alone: one source trying many names. Generous, for offices behind one NAT. */
  perSource: readonly ThrottleStep[];
}

export const LOGIN_THROTTLE: ThrottleSettings = {
  perUserAndSource: [
    { failures: 5, windowMs: 60_000 },
    { failures: 10, windowMs: 15 * 60_000 },
    { failures: 20, windowMs: 4 * 3600_000 },
  ],
  perSource: [
    { failures: 30, windowMs: 15 * 60_000 },
    { failures: 100, windowMs: 4 * 3600_000 },
  ],
};

type Limiter = ReturnType<FastifyInstance['createRateLimit']>;

/**
 * The log-in throttle, on `@fastify/rate-limit` (registered on `app` with `global: false`): only
 * failures count (a peek before the password is checked, a count after it failed), and there is no
 * per-user key across sources, so a stranger's guesses never lock out the right password typed
 * from another address. The source is `request.ip`, which honours the collector's `trustProxy`.
 */
export class LoginThrottle {
  private readonly limiters: Limiter[];

  constructor(app: FastifyInstance, settings: ThrottleSettings = LOGIN_THROTTLE) {
    const nameOf = (request: FastifyRequest) => {
      const body = request.body as { name?: unknown } | undefined;
      return typeof body?.name === 'string' ? body.name : '';
    };
    const make = (step: ThrottleStep, key: (request: FastifyRequest) => string) =>
      app.createRateLimit({ max: step.failures, timeWindow: step.windowMs, keyGenerator: key });
    this.limiters = [
      ...settings.perUserAndSource.map((step, i) => make(step, (r) => `u${i}:${r.ip}:${nameOf(r)}`)),
      ...settings.perSource.map((step, i) => make(step, (r) => `s${i}:${r.ip}`)),
    ];
  }

  /** Seconds this request must wait before its log-in is tried, or 0. Counts nothing. */
  async retryAfter(request: FastifyRequest): Promise<number> {
    let wait = 0;
    for (const limiter of this.limiters) {
      const state = await limiter(request, { increment: false });
      if (!state.isAllowed && state.remaining === 0) wait = Math.max(wait, Math.max(1, state.ttlInSeconds));
    }
    return wait;
  }

  /** A failed log-in: counted against every step. */
  async failed(request: FastifyRequest): Promise<void> {
    for (const limiter of this.limiters) await limiter(request);
  }
}
