import { Type, type Static } from '@sinclair/typebox';
import { HostName } from './names.js';
import { DeviceKind } from './common.js';

export const DeviceIdentity = Type.Object(
  {
    /** hostname for servers, sysName for network gear: the device's key within its site. */
    hostname: HostName(),
    kind: DeviceKind,
    /** Free-form role used by threshold overrides and ticket priority, e.g. `core`, `access`, `db`. */
    role: Type.Optional(Type.String({ maxLength: 100 })),
    vendor: Type.Optional(Type.String({ maxLength: 200 })),
    model: Type.Optional(Type.String({ maxLength: 200 })),
    serial: Type.Optional(Type.String({ maxLength: 200 })),
    /** OS name and version, or firmware version for network gear. */
    os: Type.Optional(Type.String({ maxLength: 500 })),
    version: Type.Optional(Type.String({ maxLength: 200 })),
    addresses: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 256, default: [] }),
  },
  { additionalProperties: false },
);
export type DeviceIdentity = Static<typeof DeviceIdentity>;
