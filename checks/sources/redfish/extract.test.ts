/**
 * The judgement rules of the Redfish extractors on structured input: what a BMC's Status means,
 * a fan below the BMC's own lower limit, a sensor that is on but gives no reading, redundancy
 * without Health, entries marked repaired. The resources as whole documents are exercised over
 * HTTPS in test/redfish/redfish.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { extractLogEntries, extractThermal, redfishStatus, extractPower } from './extract.js';

const ctx = { command: 'GET https://bmc/redfish/v1/Chassis/1/Thermal', at: '2026-12-01T00:00:00.000Z' };

describe('redfishStatus', () => {
  it.each([
    [{ State: 'Enabled', Health: 'OK' }, 'ok'],
    [{ State: 'Enabled', Health: 'Warning' }, 'warning'],
    [{ State: 'Enabled', Health: 'Critical' }, 'fault'],
    [{ State: 'Absent' }, 'absent'],
    [{ State: 'Absent', Health: 'Critical' }, 'absent'],
    [{ State: 'Enabled' }, 'unknown'],
    [undefined, 'unknown'],
    ['OK', 'unknown'],
  ])('%j → %s', (status, expected) => expect(redfishStatus(status).status).toBe(expected));
});

describe('extractThermal', () => {
  it('a fan under its LowerThresholdCritical is a fault even when the BMC says OK', () => {
    const r = extractThermal({ Temperatures: [{ Name: 'Inlet', ReadingCelsius: 20 }], Fans: [{ Name: 'Fan 1', Reading: 300, ReadingUnits: 'RPM', LowerThresholdCritical: 500, Status: { State: 'Enabled', Health: 'OK' } }] }, ctx);
    const fan = r.measurements.find((m) => m.metric === 'fan.state')!;
    expect(fan.status).toBe('fault');
    expect(fan.detail).toContain("below the BMC's lower limit (500)");
  });

  it('a sensor that is on but has no reading is a gap naming it; one that is off is skipped', () => {
    const r = extractThermal(
      {
        Temperatures: [
          { Name: 'CPU1 Temp', Status: { State: 'Enabled', Health: 'OK' } },
          { Name: 'CPU2 Temp', Status: { State: 'Absent' } },
        ],
        Fans: [{ Name: 'Fan 1', Status: { State: 'Enabled', Health: 'OK' } }],
      },
      ctx,
    );
    expect(r.measurements.filter((m) => m.metric === 'temperature')).toEqual([]);
    expect(r.gaps).toEqual([{ check: 'SXKR-005', component: 'CPU1 Temp', reason: 'the BMC gives no reading for CPU1 Temp (OK, Enabled)', command: ctx.command }]);
  });

  it('takes the critical limit, else the fatal one, and says which', () => {
    const r = extractThermal({ Temperatures: [{ Name: 'A', ReadingCelsius: 30, UpperThresholdFatal: 60 }, { Name: 'B', ReadingCelsius: 30, UpperThresholdCritical: 50, UpperThresholdFatal: 60, LowerThresholdCritical: 5 }], Fans: [{ Name: 'F' }] }, ctx);
    const [a, b] = r.measurements.filter((m) => m.metric === 'temperature');
    expect(a!.limits).toEqual({ high: 60, source: `${ctx.command} Temperatures/0 UpperThresholdFatal` });
    expect(b!.limits).toEqual({ high: 50, low: 5, source: `${ctx.command} Temperatures/1 UpperThresholdCritical` });
  });

  it('names repeated members apart', () => {
    const r = extractPower({ PowerSupplies: [{ Name: 'PSU', MemberId: '0', Status: { Health: 'OK' } }, { Name: 'PSU', MemberId: '1', Status: { Health: 'OK' } }] }, ctx);
    expect(r.measurements.map((m) => m.component)).toEqual(['PSU', 'PSU #1']);
  });
});

describe('redundancy', () => {
  it('a lost redundancy is a fault; a group without Health says nothing', () => {
    const r = extractPower(
      {
        PowerSupplies: [{ Name: 'PS1', Status: { Health: 'OK' } }],
        Redundancy: [
          { Name: 'PSU Redundancy', Mode: 'N+m', Status: { State: 'Enabled', Health: 'Critical' } },
          { Name: 'Unused', Status: { State: 'Disabled' } },
        ],
      },
      ctx,
    );
    expect(r.measurements.map((m) => [m.component, m.status])).toEqual([
      ['PS1', 'ok'],
      ['PSU Redundancy', 'fault'],
    ]);
  });
});

describe('extractLogEntries', () => {
  it('counts entries since the last inspection, lists warnings and worse, skips those marked repaired', () => {
    const r = extractLogEntries(
      '1 IML',
      [
        { Id: '1', Severity: 'Critical', Created: '2026-11-20T08:00:00Z', Message: 'Fan failure' },
        { Id: '2', Severity: 'Critical', Created: '2026-11-21T08:00:00Z', Message: 'PSU failure', Oem: { Hpe: { Repaired: true } } },
        { Id: '3', Severity: 'OK', Created: '2026-11-22T08:00:00Z', Message: 'Power on' },
        { Id: '4', Severity: 'Critical', Created: '2026-10-01T08:00:00Z', Message: 'Before the last inspection' },
        { Id: '5', Severity: 'Warning', Message: 'No time' },
      ],
      { command: 'GET https://bmc/redfish/v1/Systems/1/LogServices/IML/Entries', at: '2026-12-01T00:00:00.000Z' },
      { since: new Date('2026-11-01T00:00:00Z'), repairedFlags: ['Oem.Hpe.Repaired'] },
    );
    expect(r.measurements[0]).toMatchObject({ metric: 'log.scanned', value: 4, detail: "1 warning or critical entries marked repaired by the vendor's log" });
    expect(r.measurements.slice(1).map((m) => [m.component, m.severity, m.at])).toEqual([
      ['1 IML 1', 'critical', '2026-11-20T08:00:00.000Z'],
      ['1 IML 5', 'warning', '2026-12-01T00:00:00.000Z'],
    ]);
  });
});
