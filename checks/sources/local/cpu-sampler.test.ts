import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCpuSampler } from './cpu-sampler.js';

const dir = mkdtempSync(join(tmpdir(), 'xj-sampler-'));
afterEach(() => rmSync(join(dir, 'stat'), { force: true }));

const statLine = (busy: number, idle: number) => `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 ${busy} 0 0 ${idle} 0 0 0 0 0 0\nintr 1 2 3\n`;

describe('the CPU sampler (one descriptor held open)', () => {
  it('reads fresh counters of the real /proc/stat at every sample', async () => {
    const sampler = createCpuSampler();
    try {
      await sampler.sample();
      for (let i = 0; i < 3; i++) {
        // Keep a core busy between readings: stale counters would leave no interval to average.
        const end = Date.now() + 120;
        while (Date.now() < end) Math.sqrt(Math.random());
        await sampler.sample();
      }
      const cpu = sampler.summary()!;
      expect(cpu.samples).toBe(4);
      expect(cpu.avg).toBeGreaterThan(0);
      expect(cpu.max).toBeGreaterThanOrEqual(cpu.avg);
    } finally {
      sampler.close();
    }
  });

  it('reads the aggregate line at offset 0 each time: avg over the window, max over the busiest interval', async () => {
    const path = join(dir, 'stat');
    writeFileSync(path, statLine(100, 900));
    const sampler = createCpuSampler({ statPath: path });
    await sampler.sample();
    writeFileSync(path, statLine(150, 950)); // 50 % busy (same inode: the held descriptor sees it)
    await sampler.sample();
    writeFileSync(path, statLine(240, 960)); // 90 % busy
    await sampler.sample();
    expect(sampler.summary()).toMatchObject({ avg: 70, max: 90, samples: 3 });
    sampler.close();
  });

  it('a reading that fails is an error, not a zero, and the next one opens the file again', async () => {
    const path = join(dir, 'stat');
    const sampler = createCpuSampler({ statPath: path });
    await expect(sampler.sample()).rejects.toThrow(/ENOENT/);
    writeFileSync(path, 'intr 1 2 3\n');
    await expect(sampler.sample()).rejects.toThrow(/no aggregate cpu line/);
    sampler.close();
    writeFileSync(path, statLine(10, 90));
    await sampler.sample();
    writeFileSync(path, statLine(20, 180));
    await sampler.sample();
    expect(sampler.summary()).toMatchObject({ avg: 10, samples: 2 });
    sampler.close();
  });
});
