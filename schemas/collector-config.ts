import { Type, type Static } from '@sinclair/typebox';

/**
 * The collector's configuration (file: YAML or JSON; environment XUNJIAN_*; flags — later wins).
 * See collector/README.md for each key's environment variable and flag.
 */
export const CollectorConfig = Type.Object(
  {
    listen: Type.Object(
      {
        host: Type.String({ minLength: 1, maxLength: 255, default: '127.0.0.1' }),
        /** 0 picks a free port (tests). */
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8470 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Where the database (and its backups by default) live. */
    dataDir: Type.String({ minLength: 1, default: './data' }),
    /** The SQLite file; default `<dataDir>/xunjian.db`. */
    dbPath: Type.Optional(Type.String({ minLength: 1 })),
    /**
     * Where the data lives when it is not the embedded SQLite file: `url: postgres://user:pass@host/db`
     * — a PostgreSQL database any number of collectors share (collector/storage/README.md).
     */
    storage: Type.Optional(
      Type.Object(
        { url: Type.String({ pattern: '^postgres(ql)?://', maxLength: 2000 }), poolSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) },
        { additionalProperties: false },
      ),
    ),
    /** `full` fsyncs every acknowledged report (survives power loss); `normal` survives a crash only. */
    durability: Type.Union([Type.Literal('full'), Type.Literal('normal')], { default: 'full' }),
    /** Largest accepted request body in bytes (413 above). */
    bodyLimit: Type.Integer({ minimum: 1024, maximum: 1024 * 1024 * 1024, default: 16 * 1024 * 1024 }),
    /**
     * Behind a TLS-terminating reverse proxy: which proxies to believe about the client's address
     * (X-Forwarded-For) and scheme (X-Forwarded-Proto) — `true` (every hop: only when nothing but the
     * proxy can reach the collector), a comma-separated list of proxy addresses or CIDRs, or a hop
     * count. Off by default: the socket's address is the client, and cookies are Secure only when
     * the collector itself serves TLS.
     */
    trustProxy: Type.Union([Type.Boolean(), Type.String({ minLength: 1, maxLength: 2000 }), Type.Integer({ minimum: 1, maximum: 16 })], { default: false }),
    tls: Type.Optional(
      Type.Object(
        { cert: Type.String({ minLength: 1 }), key: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
    ),
    retention: Type.Object(
      {
        /** Raw measurements are kept this many days, then folded into hourly min/avg/max. 0 keeps them forever. */
        rawDays: Type.Integer({ minimum: 0, maximum: 36500, default: 90 }),
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * Several collectors on one PostgreSQL database (collector/cluster): how often each says it is
     * alive, and after how long without a word its SNMP/BMC targets and jobs are taken over. Keep
     * memberTtlMs well under the shortest poll interval.
     */
    cluster: Type.Optional(
      Type.Object(
        { heartbeatMs: Type.Integer({ minimum: 100, maximum: 600_000 }), memberTtlMs: Type.Integer({ minimum: 300, maximum: 3_600_000 }) },
        { additionalProperties: false },
      ),
    ),
    /** How often the silence scan looks for devices that stopped reporting (collector/tickets); default 60, 0 disables it. */
    silenceScanSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    /** The SNMP poller (collector/poller); absent: the defaults below (collector/poller/settings). */
    snmp: Type.Optional(Type.Object(
      {
        /** AES-256-GCM key for SNMP credentials at rest: 32 bytes, base64 or hex (env XUNJIAN_SNMP_KEY). */
        credentialKey: Type.Optional(Type.String({ minLength: 1 })),
        pollerEnabled: Type.Boolean({ default: true }),
        /** Polls in flight at once across all targets. */
        concurrency: Type.Integer({ minimum: 1, maximum: 1024, default: 16 }),
      },
      { additionalProperties: false },
    )),
    /** The syslog receiver (collector/syslog): UDP and TCP on one port; 0 = off. Absent: the defaults below. */
    syslog: Type.Optional(Type.Object(
      {
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 514 }),
        host: Type.String({ minLength: 1, maxLength: 255, default: '0.0.0.0' }),
        /** Entries are batched per device and ingested this often. */
        flushSeconds: Type.Number({ minimum: 0.05, maximum: 3600, default: 5 }),
        /** Entries held awaiting a flush; beyond it they are dropped and counted. */
        maxQueue: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 10_000 }),
        /**
         * The networks each site's devices send from (CIDR, IPv4 or IPv6). Once any site declares
         * networks, a sender is matched only within a site whose network holds its address;
         * without any, within the sites whose devices claim the address (one install, one customer).
         */
        sites: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Object(
          { networks: Type.Array(Type.String({ minLength: 2, maxLength: 50, pattern: '^[0-9A-Fa-f:.]+/[0-9]{1,3}$' }), { maxItems: 1000 }) },
          { additionalProperties: false },
        ))),
        /** Messages per second one sender may send (a burst of 10× is allowed); beyond, dropped and counted. */
        ratePerSecond: Type.Optional(Type.Number({ minimum: 1, maximum: 1_000_000, description: 'default 200' })),
        /** RFC 5425 syslog over TLS (octet-counted frames) on its own port, conventionally 6514; PEM files. */
        tls: Type.Optional(Type.Object(
          { port: Type.Integer({ minimum: 0, maximum: 65535 }), cert: Type.String({ minLength: 1 }), key: Type.String({ minLength: 1 }) },
          { additionalProperties: false },
        )),
      },
      { additionalProperties: false },
    )),
    /**
     * The day of the next month by which a month's inspection record is signed: from the day after,
     * the sites overview flags the month as unsigned. Default 5 (collector/web/pages/overview.ts).
     */
    signOffDueDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 28, description: 'default 5' })),
    /** Notifications (collector/notify): the sender's pace and the dashboard address put in links. Absent: the defaults. */
    notify: Type.Optional(Type.Object(
      {
        /** How often the sender plans new events and sends what is due (ms of the app's clock's timer). */
        pollMs: Type.Integer({ minimum: 10, maximum: 60_000, default: 200 }),
        /** The dashboard's address as people reach it, for the links in messages (default: the listen address). */
        dashboardUrl: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: '^https?://' })),
        /** Attempts before a message is a dead letter. */
        maxAttempts: Type.Integer({ minimum: 1, maximum: 100, default: 8 }),
        /** Messages sent at once. */
        concurrency: Type.Integer({ minimum: 1, maximum: 256, default: 16 }),
        /**
         * A send taking longer counts as failed (retried). A message is leased for twice this while
         * it is sent: a collector killed mid-send leaves it to any collector once the lease runs out.
         */
        sendTimeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 600 })),
        /** Messages per minute per channel, by kind, where a vendor's limit differs from the built-in one (collector/notify/pacing.ts). */
        perMinute: Type.Optional(Type.Record(Type.Union(['email', 'webhook', 'wecom', 'dingtalk', 'feishu'].map((k) => Type.Literal(k))), Type.Integer({ minimum: 1, maximum: 1_000_000 }))),
      },
      { additionalProperties: false },
    )),
    /**
     * The service company's name and logo on the log-in page, the page header and the report covers
     * (collector/branding.ts). Absent: the product name 巡检 Xunjian only. The logo is a PNG, JPEG or
     * SVG file of at most 256 KB, checked when the configuration is loaded.
     */
    branding: Type.Optional(Type.Object(
      {
        company: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        logo: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
      },
      { additionalProperties: false },
    )),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
  },
  { additionalProperties: false },
);
export type CollectorConfig = Static<typeof CollectorConfig>;
