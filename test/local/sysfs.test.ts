import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { Measurement, validate } from '../../schemas/index.js';
import { evaluateReport } from '../../checks/index.js';
import { reportOf } from '../../checks/testing.js';
import { byNumber, readBlockDisks, readHwmon, readSysNet, readThermalZones } from '../../checks/sources/local/sysfs.js';

/**
 * This VM has no /sys/class/hwmon and no thermal zones, so the readers run here on a directory
 * laid out as the kernel documents it (Documentation/hwmon/sysfs-interface.rst,
 * Documentation/driver-api/thermal/sysfs-api.rst): values in millidegrees and RPM, one file each.
 */
const root = mkdtempSync(join(tmpdir(), 'xunjian-sysfs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function files(dir: string, entries: Record<string, string>) {
  mkdirSync(dir, { recursive: true });
  for (const [name, value] of Object.entries(entries)) writeFileSync(join(dir, name), `${value}\n`);
}

describe('sysfs readers', () => {
  test('sysfs names sort with their numbers as numbers, as a numeric collation would', () => {
    const names = ['hwmon10', 'hwmon2', 'temp10_input', 'temp1_input', 'hwmon1', 'temp2_input', 'fan1_input', 'hwmon02', 'thermal_zone11', 'thermal_zone9', 'cooling_device0', 'hwmon'];
    const expected = ['cooling_device0', 'fan1_input', 'hwmon', 'hwmon1', 'hwmon02', 'hwmon2', 'hwmon10', 'temp1_input', 'temp2_input', 'temp10_input', 'thermal_zone9', 'thermal_zone11'];
    expect([...names].sort(byNumber)).toEqual(expected);
    // The same order as the ICU collation it replaces, for these names.
    const collator = new Intl.Collator('en', { numeric: true }).compare;
    expect([...names].sort(collator).filter((n) => n !== 'hwmon02' && n !== 'hwmon2')).toEqual(expected.filter((n) => n !== 'hwmon02' && n !== 'hwmon2'));
    expect(byNumber('hwmon3', 'hwmon3')).toBe(0);
  });

  test('hwmon: temperatures take temp*_crit (else temp*_max) as the device limit; fan alarms are faults', async () => {
    files(join(root, 'hwmon', 'hwmon0'), {
      name: 'coretemp', temp1_input: '45000', temp1_label: 'Package id 0', temp1_crit: '100000', temp1_max: '80000',
      temp2_input: '43000', temp2_label: 'Core 0', temp2_max: '80000',
    });
    files(join(root, 'hwmon', 'hwmon1'), {
      name: 'nct6775', fan1_input: '1200', fan2_input: '0', fan2_alarm: '1', fan3_input: '0', temp1_input: '30000',
    });
    const r = await readHwmon('2026-11-28T12:00:00.000Z', join(root, 'hwmon'));
    for (const m of [...r.temperatures, ...r.fans]) validate(Measurement, m, m.component);
    expect(r.temperatures.map((t) => [t.component, t.value, t.kind, t.limits?.high])).toEqual([
      ['coretemp Package id 0', 45, 'cpu', 100],
      ['coretemp Core 0', 43, 'cpu', 80],
      ['nct6775 temp1', 30, 'other', undefined],
    ]);
    expect(r.temperatures[0]?.limits?.source).toBe(join(root, 'hwmon', 'hwmon0', 'temp1_crit'));
    expect(r.fans.map((f) => [f.component, f.status])).toEqual([
      ['nct6775 fan1', 'ok'],
      ['nct6775 fan2', 'fault'],
      ['nct6775 fan3', 'warning'],
    ]);
  });

  test('thermal zones: the critical trip point is the limit', async () => {
    files(join(root, 'thermal', 'thermal_zone0'), {
      type: 'acpitz', temp: '27800', trip_point_0_type: 'critical', trip_point_0_temp: '105000',
      trip_point_1_type: 'passive', trip_point_1_temp: '95000',
    });
    const [zone] = await readThermalZones('2026-11-28T12:00:00.000Z', join(root, 'thermal'));
    expect(zone).toMatchObject({ component: 'thermal_zone0 acpitz', value: 27.8, kind: 'board', limits: { high: 105 } });
  });

  test('hwmon: attributes in hwmonN/device (older kernels) are read like the class directory', async () => {
    files(join(root, 'old-hwmon', 'hwmon0', 'device'), {
      name: 'coretemp', temp2_input: '52000', temp2_label: 'Core 0', temp2_crit: '98000', temp2_crit_alarm: '0',
    });
    files(join(root, 'old-hwmon', 'hwmon1', 'device'), { name: 'it8718', fan1_input: '2280', fan1_alarm: '0' });
    // a class directory with its own attributes is read there, not in device/
    files(join(root, 'old-hwmon', 'hwmon2'), { name: 'acpitz', temp1_input: '40000', temp1_crit: '105000' });
    files(join(root, 'old-hwmon', 'hwmon2', 'device'), { temp9_input: '1000' });
    const r = await readHwmon('2026-11-28T12:00:00.000Z', join(root, 'old-hwmon'));
    expect(r.temperatures.map((t) => [t.component, t.value, t.limits?.high, t.command])).toEqual([
      ['coretemp Core 0', 52, 98, join(root, 'old-hwmon', 'hwmon0', 'device', 'temp2_input')],
      ['acpitz temp1', 40, 105, join(root, 'old-hwmon', 'hwmon2', 'temp1_input')],
    ]);
    expect(r.fans.map((f) => [f.component, f.status])).toEqual([['it8718 fan1', 'ok']]);
  });

  test('hwmon readings judged: a critical alarm or a stopped fan is abnormal, the chip limit is used', async () => {
    files(join(root, 'judged', 'hwmon0'), { name: 'coretemp', temp1_input: '101000', temp1_crit: '100000', temp1_crit_alarm: '1' });
    files(join(root, 'judged', 'hwmon1'), { name: 'nct6775', fan1_input: '0', temp1_input: '38000' });
    const hw = await readHwmon('2026-11-28T12:00:00.000Z', join(root, 'judged'));
    const [, , , power, temperature] = evaluateReport(reportOf([...hw.temperatures, ...hw.fans]));
    expect(power).toMatchObject({ verdict: 'abnormal', reason: 'nct6775 fan1 is 0 RPM (not turning)' });
    expect(temperature!.verdict).toBe('abnormal');
    expect(temperature!.components.map((c) => [c.component, c.verdict, c.actual])).toEqual([
      ['coretemp temp1', 'abnormal', '101.0 °C (device limit 100.0 °C)'],
      ['nct6775 temp1', 'normal', '38.0 °C (limit (other) 70.0 °C)'],
    ]);
  });

  test('thermal zones: without a critical trip point the default of the sensor kind applies (x86_pkg_temp is the CPU)', async () => {
    files(join(root, 'thermal2', 'thermal_zone0'), { type: 'x86_pkg_temp', temp: '61000', trip_point_0_type: 'passive', trip_point_0_temp: '95000' });
    const zones = await readThermalZones('2026-11-28T12:00:00.000Z', join(root, 'thermal2'));
    expect(zones[0]).toMatchObject({ component: 'thermal_zone0 x86_pkg_temp', value: 61, kind: 'cpu' });
    expect(zones[0]!.limits).toBeUndefined();
    // the CPU package runs hotter than the catch-all 70 °C: judged against the CPU default
    expect(evaluateReport(reportOf(zones))[4]!.actual).toBe('thermal_zone0 x86_pkg_temp: 61.0 °C (limit (cpu) 85.0 °C)');
  });

  test('net: the real /sys/class/net of this host has lo (loopback) and at least one other interface', async () => {
    const links = await readSysNet();
    expect(links.find((l) => l.name === 'lo')?.loopback).toBe(true);
    expect(links.some((l) => !l.loopback)).toBe(true);
  });

  test('the physical disks of /sys/block: with a device link, not loop/md/dm; an attribute read whole however long, an unreadable one absent', async () => {
    const block = join(root, 'block');
    files(join(block, 'sda', 'device'), { vendor: 'IBM-ESXS', model: 'ST300MM0006' });
    // Longer than the reader's first buffer (16 KiB): read whole all the same.
    const longModel = `MODEL-${'x'.repeat(20_000)}-END`;
    files(join(block, 'sdb', 'device'), { vendor: 'HP', model: longModel });
    files(join(block, 'nvme0n1', 'device'), {});
    mkdirSync(join(block, 'nvme0n1', 'device', 'model')); // a directory: read fails, no model
    files(join(block, 'sdb', 'sdb1'), { size: '1' }); // a partition lives below its disk
    files(join(block, 'loop0', 'device'), { model: 'loop' });
    files(join(block, 'md0'), { size: '1' });
    files(join(block, 'dm-0'), { size: '1' });
    files(join(block, 'vdz'), { size: '1' }); // no device link: not a physical disk
    expect(await readBlockDisks(block)).toEqual([
      { name: 'nvme0n1' },
      { name: 'sda', vendor: 'IBM-ESXS', model: 'ST300MM0006' },
      { name: 'sdb', vendor: 'HP', model: longModel },
    ]);
  });

  test('missing directories read as no sensors, not as an error', async () => {
    expect(await readHwmon('2026-11-28T12:00:00.000Z', join(root, 'nope'))).toEqual({ temperatures: [], fans: [] });
    expect(await readThermalZones('2026-11-28T12:00:00.000Z', join(root, 'nope'))).toEqual([]);
  });
});
