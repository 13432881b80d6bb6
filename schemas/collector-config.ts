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
    /** `full` fsyncs every acknowledged report (survives power loss); `normal` survives a crash only. */
    durability: Type.Union([Type.Literal('full'), Type.Literal('normal')], { default: 'full' }),
    /** Largest accepted request body in bytes (413 above). */
    bodyLimit: Type.Integer({ minimum: 1024, maximum: 1024 * 1024 * 1024, default: 16 * 1024 * 1024 }),
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
    /** How often the silence scan looks for devices that stopped reporting (collector/tickets); default 60, 0 disables it. */
    silenceScanSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
    logLevel: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
      { default: 'info' },
    ),
  },
  { additionalProperties: false },
);
export type CollectorConfig = Static<typeof CollectorConfig>;
