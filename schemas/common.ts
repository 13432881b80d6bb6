import { Type, type Static } from '@sinclair/typebox';

/** The six checks of the service plan's inspection form (section 7.1). */
export const CHECK_IDS = ['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006'] as const;
export const CheckId = Type.Union(CHECK_IDS.map((id) => Type.Literal(id)), { description: 'SXKR check id' });
export type CheckId = Static<typeof CheckId>;

export const Verdict = Type.Union([Type.Literal('normal'), Type.Literal('abnormal'), Type.Literal('unknown')]);
export type Verdict = Static<typeof Verdict>;

/** storage arrays, tape libraries and air conditioning are usually entered by hand (collector/equipment). */
export const DEVICE_KINDS = ['server', 'switch', 'router', 'firewall', 'ups', 'room', 'storage', 'tape', 'aircon'] as const;
export const DeviceKind = Type.Union(DEVICE_KINDS.map((k) => Type.Literal(k)));
export type DeviceKind = Static<typeof DeviceKind>;

export const ReportSource = Type.Union([
  Type.Literal('agent'),
  Type.Literal('ssh'),
  Type.Literal('snmp'),
  Type.Literal('local'),
  /** A management controller (Redfish, IPMI over LAN, an IBM Power HMC), alone or combined with SSH. */
  Type.Literal('bmc'),
]);
export type ReportSource = Static<typeof ReportSource>;

/** ISO-8601 timestamp with time zone, e.g. 2026-11-28T12:00:00.000Z. */
export const Timestamp = Type.String({ format: 'date-time', maxLength: 40 });
export type Timestamp = Static<typeof Timestamp>;

/** A short human-readable label: component names, hostnames, metric names. */
export const Label = (maxLength = 200) => Type.String({ minLength: 1, maxLength });

export const Lang = Type.Union([Type.Literal('zh'), Type.Literal('en')]);
export type Lang = Static<typeof Lang>;
