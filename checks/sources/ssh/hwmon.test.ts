/**
 * HWMON_COMMAND run for real by bash over a sysfs-shaped tree (its root swapped for a temp dir):
 * a modern chip, a 2.6.32-era chip whose files sit in hwmonN/device, and the hwmon node a thermal
 * zone registers (x86_pkg_temp is the CPU package).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HWMON_COMMAND, parseHwmon } from './hwmon.js';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'xunjian-hwmon-'));
  const files: Record<string, string> = {
    'hwmon0/name': 'coretemp',
    'hwmon0/temp1_input': '45000',
    'hwmon0/temp1_crit': '100000',
    'hwmon0/temp1_label': 'Package id 0',
    'hwmon1/device/name': 'w83627ehf',
    'hwmon1/device/temp1_input': '38000',
    'hwmon1/device/temp1_max': '60000',
    'hwmon2/name': 'x86_pkg_temp',
    'hwmon2/temp1_input': '52000',
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `${text}\n`);
  }
  return root;
}

describe('hwmon over SSH', () => {
  it('reads modern chips, chips in hwmonN/device, and takes x86_pkg_temp for the CPU', () => {
    const root = tree();
    const command = HWMON_COMMAND.replaceAll('/sys/class/hwmon', root);
    const out = execFileSync('bash', ['-c', command], { encoding: 'utf8' });
    const { measurements } = parseHwmon(out, { command: HWMON_COMMAND, at: '2026-11-02T09:00:00Z' });
    const by = Object.fromEntries(measurements.map((m) => [m.component, m]));
    expect(Object.keys(by).sort()).toEqual(['coretemp Package id 0', 'w83627ehf temp1', 'x86_pkg_temp temp1']);
    expect(by['coretemp Package id 0']).toMatchObject({ value: 45, kind: 'cpu', limits: { high: 100 } });
    expect(by['w83627ehf temp1']).toMatchObject({ value: 38, limits: { high: 60 } });
    expect(by['x86_pkg_temp temp1']).toMatchObject({ value: 52, kind: 'cpu' });
  });
});
