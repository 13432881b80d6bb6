import { Type, type Static } from '@sinclair/typebox';

/*
 * A Redfish vendor profile (checks/sources/redfish/profiles/*.yaml): how to recognise a vendor's
 * BMC and what differs from the DMTF standard — which log services hold hardware events, Oem
 * flags that mark an entry as already repaired, whether $expand works, which power/thermal
 * resources to prefer. Anything not said here follows the standard.
 */
export const RedfishProfile = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 60, pattern: '^[a-z0-9-]+$' }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    /** Matched against the service root and the first system; any one criterion that matches wins. */
    detect: Type.Object(
      {
        /** Keys of the service root's `Oem` object, e.g. `Hpe`, `Hp`, `Dell`, `Lenovo`. */
        rootOem: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { maxItems: 10 })),
        /** Regular expression on the service root's `Vendor` (Redfish 1.5+). */
        vendor: Type.Optional(Type.String({ maxLength: 200 })),
        /** Regular expression on the system's `Manufacturer`. */
        manufacturer: Type.Optional(Type.String({ maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
    /**
     * `legacy`: Chassis/{id}/Power and Thermal when the chassis has them (one request each, thresholds
     * inline); `subsystem`: PowerSubsystem, ThermalSubsystem and Sensors first. Either falls back
     * to the other when its resources are missing.
     */
    prefer: Type.Union([Type.Literal('legacy'), Type.Literal('subsystem')], { default: 'legacy' }),
    /** Ask collections with `$expand=.($levels=1)` when the root says it is supported. */
    expand: Type.Boolean({ default: true }),
    logs: Type.Object(
      {
        /** Regular expression on a LogService's `Id`: the services read for SXKR-006. */
        include: Type.String({ maxLength: 200, default: '.*' }),
        /** Regular expression on `Id` of services never read (audit trails, dumps). Both are case-insensitive. */
        exclude: Type.String({ maxLength: 200, default: 'audit|journal|dump|crash|diagnostic' }),
        /** Dotted paths in an entry that, when `true`, mean the event was already repaired. */
        repairedFlags: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 10, default: [] }),
        /** Most entries read per log service (newest pages are not guaranteed to come first). */
        maxEntries: Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 }),
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false },
);
export type RedfishProfile = Static<typeof RedfishProfile>;
