import { Type, type Static } from '@sinclair/typebox';
import { DeviceKind, Timestamp } from './common.js';
import { FreeText, HostName, SafeLabel } from './names.js';
import { ThresholdSet } from './thresholds.js';

/*
 * The equipment record kept by hand (设备档案, service plan 4.1): devices a person puts on record
 * (storage arrays, tape libraries, air conditioning, a UPS without SNMP… beside the kinds that
 * report) and the fields a person enters. What a device reports is kept apart and never replaced
 * by these (collector/equipment/README.md).
 */

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** A contract's calendar date. */
export const CalendarDate = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$', maxLength: 10, description: 'YYYY-MM-DD' });
export type CalendarDate = Static<typeof CalendarDate>;

/** The fields a person enters; each may be cleared with null. */
const enteredFields = {
  role: Type.Optional(Nullable(SafeLabel(100))),
  vendor: Type.Optional(Nullable(SafeLabel(200))),
  model: Type.Optional(Nullable(SafeLabel(200))),
  /** 出厂编号 as written on the device or the contract. */
  serial: Type.Optional(Nullable(SafeLabel(200))),
  firmware: Type.Optional(Nullable(SafeLabel(200))),
  location: Type.Optional(Nullable(SafeLabel(200))),
  warrantyUntil: Type.Optional(Nullable(CalendarDate)),
  contractUntil: Type.Optional(Nullable(CalendarDate)),
  notes: Type.Optional(Nullable(FreeText(10_000))),
};

/** `POST /api/v1/sites/:site/devices`: a device put on record by hand. */
export const ManualDevice = Type.Object({ hostname: HostName(), kind: DeviceKind, ...enteredFields }, { additionalProperties: false });
export type ManualDevice = Static<typeof ManualDevice>;

/** `PATCH /api/v1/sites/:site/devices/:hostname`: the record's fields, the silence interval and thresholds. */
export const DeviceRecordPatch = Type.Object(
  {
    ...enteredFields,
    /** Only a device put on record by hand changes kind by hand; a reporting device's kind is what it reports. */
    kind: Type.Optional(DeviceKind),
    /** Replaces the device's own thresholds; `{}` clears them. */
    thresholds: Type.Optional(ThresholdSet),
    expectedIntervalS: Type.Optional(Nullable(Type.Integer({ minimum: 10, maximum: 90 * 86400 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type DeviceRecordPatch = Static<typeof DeviceRecordPatch>;

/** A firmware/version change written by hand (an upgrade done on site, a version read off a panel). */
export const FirmwareEntry = Type.Object(
  {
    firmware: SafeLabel(200),
    /** When it was installed; default now. */
    at: Type.Optional(Timestamp),
    note: Type.Optional(FreeText(2000)),
  },
  { additionalProperties: false },
);
export type FirmwareEntry = Static<typeof FirmwareEntry>;

/** A person's verdict: the device needs an upgrade (with the reason), or not; null clears it. */
export const UpgradeVerdictInput = Type.Object(
  { needed: Nullable(Type.Boolean()), reason: Type.Optional(FreeText(2000)) },
  { additionalProperties: false },
);
export type UpgradeVerdictInput = Static<typeof UpgradeVerdictInput>;

/** The firmware an engineer recommends for a model at a site. */
export const FirmwareBaseline = Type.Object(
  { model: SafeLabel(200), firmware: SafeLabel(200), note: Type.Optional(FreeText(2000)) },
  { additionalProperties: false },
);
export type FirmwareBaseline = Static<typeof FirmwareBaseline>;
