import { Type, type Static } from '@sinclair/typebox';
import { CHECK_IDS, CheckId, Label } from './common.js';

/** A duration as written in the file: "5m", "10s", "250ms", "1h". Parsed with parseDuration. */
const Duration = Type.String({ minLength: 1, maxLength: 20, pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h|d)?\\s*$' });

const CollectorUrl = Type.String({ minLength: 1, maxLength: 500, pattern: '^https?://' });

/** The agent's configuration file (/etc/xunjian/agent.yaml); XUNJIAN_AGENT_* override it. */
export const AgentConfig = Type.Object(
  {
    collector: Type.Object(
      {
        /**
         * Base URL of the collector, e.g. https://collector.example:8443 — or a list of them
         * (several collectors on one PostgreSQL): the agent delivers to one and moves to the next
         * when it gets no answer or a 5xx, with the spool in between (agent/delivery/collectors.ts).
         */
        url: Type.Union([CollectorUrl, Type.Array(CollectorUrl, { minItems: 1, maxItems: 16 })]),
        /** The agent token inline (prefer tokenFile: it stays out of the config and of `ps`). */
        token: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
        /** File holding the token (mode 0600), written by `agent enroll`. Re-read on every attempt. */
        tokenFile: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
        /** Per-request timeout. */
        timeout: Type.String({ ...Duration, default: '30s' }),
      },
      { additionalProperties: false },
    ),
    site: Type.Optional(Label(100)),
    /** Overrides os.hostname() as the device's key within its site. */
    hostname: Type.Optional(Label(255)),
    role: Type.Optional(Type.String({ maxLength: 100 })),
    /** How often a full (heavy) collection runs and a report is produced. */
    cadence: Type.String({ ...Duration, default: '5m' }),
    /** The CPU window the report covers (average and maximum over it). */
    window: Type.String({ ...Duration, default: '5m' }),
    /** Cheap CPU sampling interval between collections. */
    sampleEvery: Type.String({ ...Duration, default: '5s' }),
    heartbeat: Type.String({ ...Duration, default: '60s' }),
    /** Checks whose measurements are sent; the others are left out of the report. */
    checks: Type.Array(CheckId, { default: [...CHECK_IDS], minItems: 1, uniqueItems: true }),
    /** Services that must be running (SXKR-003), e.g. sshd, oracle. */
    requiredServices: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { default: [], maxItems: 200 }),
    spool: Type.Object(
      {
        dir: Type.String({ minLength: 1, maxLength: 1000, default: '/var/spool/xunjian-agent' }),
        /** Total bytes of queued reports before the oldest are evicted. */
        maxBytes: Type.Integer({ minimum: 1024, default: 256 * 1024 * 1024 }),
        /** Queued reports older than this are evicted. */
        maxAge: Type.String({ ...Duration, default: '30d' }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Where the log cursor, the status file and the eviction counter live. */
    stateDir: Type.String({ minLength: 1, maxLength: 1000, default: '/var/lib/xunjian-agent' }),
    /** Delivery backoff: first delay and cap (exponential with full jitter between). */
    retry: Type.Object(
      {
        initial: Type.String({ ...Duration, default: '1s' }),
        max: Type.String({ ...Duration, default: '5m' }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type AgentConfig = Static<typeof AgentConfig>;
