import { Type, type Static } from '@sinclair/typebox';
import { SiteName } from './names.js';
import { ReportSource, Timestamp } from './common.js';
import { DeviceIdentity } from './device.js';
import { Gap, Measurement } from './measurement.js';

export const MAX_MEASUREMENTS_PER_REPORT = 20_000;

/** One source's batch about one device over one window. `id` makes delivery idempotent. */
export const Report = Type.Object(
  {
    id: Type.String({ minLength: 8, maxLength: 100, pattern: '^[A-Za-z0-9._:-]+$' }),
    source: ReportSource,
    site: Type.Optional(SiteName()),
    window: Type.Object(
      { start: Timestamp, end: Timestamp },
      { additionalProperties: false },
    ),
    identity: DeviceIdentity,
    measurements: Type.Array(Measurement, { maxItems: MAX_MEASUREMENTS_PER_REPORT }),
    gaps: Type.Array(Gap, { maxItems: 1000, default: [] }),
    /** Producer name and version, e.g. `xunjian-agent/0.1.0`. */
    producer: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type Report = Static<typeof Report>;
