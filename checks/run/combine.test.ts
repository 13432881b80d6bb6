/** Which source's gaps survive when one server is read over SSH and through its BMC. */
import { describe, expect, it } from 'vitest';
import type { Report } from '../../schemas/index.js';
import { combineReports } from './combine.js';

const at = '2026-12-01T00:00:00.000Z';
const base = (source: Report['source'], extra: Partial<Report>): Report => ({
  id: `${source}-abcdefgh`,
  source,
  window: { start: at, end: at },
  identity: { hostname: 'db01', kind: 'server', addresses: [] },
  measurements: [],
  gaps: [],
  ...extra,
});
const m = (check: Report['measurements'][number]['check'], command: string) => ({ check, component: 'x', metric: 'm', value: 1, command, at });

describe('combineReports', () => {
  it('drops the OS gaps for power and temperature the BMC measured, and the BMC gaps for CPU and memory SSH measured', () => {
    const os = base('ssh', {
      measurements: [m('SXKR-001', 'cat /proc/stat'), m('SXKR-002', 'cat /proc/meminfo'), m('SXKR-003', 'df -P -T')],
      gaps: [
        { check: 'SXKR-004', reason: 'no in-band IPMI on this host' },
        { check: 'SXKR-005', reason: 'no sensors' },
        { check: 'SXKR-003', reason: 'smartctl not installed' },
      ],
      identity: { hostname: 'db01', kind: 'server', addresses: ['10.0.0.1'], os: 'AIX 7.2' },
    });
    const bmc = base('bmc', {
      measurements: [m('SXKR-004', 'GET https://bmc/redfish/v1/Chassis/1/Power'), m('SXKR-005', 'GET https://bmc/redfish/v1/Chassis/1/Thermal')],
      gaps: [
        { check: 'SXKR-001', reason: 'not a BMC measurement' },
        { check: 'SXKR-006', reason: 'GET …/LogServices: HTTP 500' },
      ],
      identity: { hostname: 'db01', kind: 'server', addresses: ['10.0.100.1'], serial: 'SN1', model: '9009-22A' },
    });
    const c = combineReports(os, bmc);
    expect(c.source).toBe('ssh');
    expect(c.measurements.map((x) => x.command)).toEqual(['cat /proc/stat', 'cat /proc/meminfo', 'df -P -T', 'GET https://bmc/redfish/v1/Chassis/1/Power', 'GET https://bmc/redfish/v1/Chassis/1/Thermal']);
    expect(c.gaps.map((g) => `${g.check} ${g.reason}`)).toEqual(['SXKR-003 smartctl not installed', 'SXKR-006 GET …/LogServices: HTTP 500']);
    expect(c.identity).toEqual({ hostname: 'db01', kind: 'server', addresses: ['10.0.0.1', '10.0.100.1'], os: 'AIX 7.2', serial: 'SN1', model: '9009-22A' });
  });

  it('keeps the OS gaps for power and temperature when the BMC measured nothing there', () => {
    const os = base('ssh', { gaps: [{ check: 'SXKR-004', reason: 'no in-band IPMI on this host' }] });
    const bmc = base('bmc', { gaps: [{ check: 'SXKR-004', reason: 'BMC 10.0.100.1:443 unreachable: ECONNREFUSED' }] });
    expect(combineReports(os, bmc).gaps.map((g) => g.reason)).toEqual(['no in-band IPMI on this host', 'BMC 10.0.100.1:443 unreachable: ECONNREFUSED']);
  });
});
