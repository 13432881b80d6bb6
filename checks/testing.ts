import type { CheckId, DeviceIdentity, Gap, Measurement, Report } from '../schemas/index.js';

/** Builders for evaluator tests: a report around some measurements, with sensible defaults. */
export const AT = '2026-11-28T10:00:00.000Z';

export function measure(check: CheckId, component: string, metric: string, value: Measurement['value'], extra: Partial<Measurement> = {}): Measurement {
  return { check, component, metric, value, command: extra.command ?? `test ${metric}`, at: AT, ...extra };
}

export function reportOf(measurements: Measurement[], gaps: Gap[] = [], identity: Partial<DeviceIdentity> = {}): Report {
  return {
    id: 'test-report-0001',
    source: 'local',
    window: { start: '2026-11-28T09:55:00.000Z', end: AT },
    identity: { hostname: 'db01', kind: 'server', addresses: [], ...identity },
    measurements,
    gaps,
  };
}
