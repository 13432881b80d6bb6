/**
 * What the agent's cycles skip on this very host: systemctl where systemd is not the init system,
 * smartctl again for a virtual disk it could not read. Real /run, /sys and smartctl; the result
 * must still say why in a gap, every time.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { collectLocal } from './index.js';

const cpu = { avg: 1, max: 2, samples: 2, since: new Date().toISOString() };

describe('collectLocal, cycle after cycle', () => {
  it('explains the units by sd_booted: a gap naming /run/systemd/system when systemd is not the init system', async () => {
    const { report } = await collectLocal({ windowMs: 1000, cpu, requiredServices: ['sshd'] });
    const units = report.gaps.filter((g) => g.component === 'systemd units' || g.component === 'service sshd');
    if (existsSync('/run/systemd/system')) {
      expect(units.every((g) => !/not the init system/.test(g.reason))).toBe(true);
    } else {
      expect(units.map((g) => g.component).sort()).toEqual(['service sshd', 'systemd units']);
      for (const g of units) expect(g.reason).toMatch(/systemd is not the init system here \(no \/run\/systemd\/system\)/);
    }
  });

  it('reports the same disk gaps on the next cycle (a virtual disk without SMART is remembered, not forgotten)', async () => {
    const disks = async () =>
      (await collectLocal({ windowMs: 1000, cpu })).report.gaps.filter((g) => g.component?.startsWith('disk ')).map((g) => `${g.component}: ${g.reason}`);
    const first = await disks();
    expect(await disks()).toEqual(first);
  });
});
