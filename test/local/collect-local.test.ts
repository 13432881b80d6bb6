import { describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { CHECK_IDS, InspectionForm, Report, validate, type Measurement } from '../../schemas/index.js';
import { evaluateReport } from '../../checks/index.js';
import { collectLocal, createCpuSampler, run, CommandError } from '../../checks/sources/local/index.js';
import { parseDf } from '../../checks/sources/parsers/index.js';

/**
 * The local source on the machine the tests run on: real /proc, real df/ip/lsblk/smartctl/
 * systemctl/journalctl, whatever this host has. Where it lacks something (no IPMI, a virtual disk,
 * no systemd) the report must say so in a gap rather than invent a value.
 */
describe('collectLocal on this machine', () => {
  let result: Awaited<ReturnType<typeof collectLocal>>;
  const find = (metric: string, component?: string): Measurement[] =>
    result.report.measurements.filter((m) => m.metric === metric && (component === undefined || m.component === component));

  test('returns a Report that validates against the schema', async () => {
    result = await collectLocal({ windowMs: 2000 });
    expect(() => validate(Report, result.report, 'local report')).not.toThrow();
    expect(result.report.source).toBe('local');
    expect(result.report.identity.kind).toBe('server');
    expect(result.report.identity.hostname.length).toBeGreaterThan(0);
    expect(Date.parse(result.report.window.end)).toBeGreaterThanOrEqual(Date.parse(result.report.window.start));
  });

  test('measures CPU over the window, memory, and the root file system', () => {
    const [avg] = find('cpu.avg');
    const [max] = find('cpu.max');
    expect(avg?.unit).toBe('%');
    expect(typeof avg?.value).toBe('number');
    expect(avg!.value as number).toBeGreaterThanOrEqual(0);
    expect(max!.value as number).toBeGreaterThanOrEqual(avg!.value as number);
    expect(max!.value as number).toBeLessThanOrEqual(100);
    const [mem] = find('memory.used', 'system');
    expect(mem!.value as number).toBeGreaterThan(0);
    expect(mem!.value as number).toBeLessThan(100);
    const [root] = find('fs.used', '/');
    expect(root?.command).toBe('statfs(2) of each /proc/self/mounts entry');
    expect(root!.value as number).toBeGreaterThan(0);
  });

  test('file system use read in-process agrees with df on every file system df lists', async () => {
    const { stdout } = await run('df', ['-P', '-T']);
    const fromDf = parseDf(stdout, { command: 'df -P -T', at: new Date().toISOString() }).measurements;
    const ours = new Map(result.report.measurements.filter((m) => m.metric === 'fs.used').map((m) => [m.component, m.value as number]));
    expect(fromDf.length).toBeGreaterThan(0);
    for (const m of fromDf) expect(Math.abs((ours.get(m.component) ?? -100) - (m.value as number)), m.component).toBeLessThan(1);
  });

  test('every check has measurements or a gap with a reason, and every measurement names its command', () => {
    for (const check of CHECK_IDS) {
      const measured = result.report.measurements.some((m) => m.check === check);
      const gaps = result.report.gaps.filter((g) => g.check === check);
      expect(measured || gaps.length > 0, `${check} neither measured nor explained`).toBe(true);
      for (const g of gaps) expect(g.reason.length, `${check} gap without reason`).toBeGreaterThan(5);
    }
    for (const m of result.report.measurements) expect(m.command.length).toBeGreaterThan(0);
  });

  test('evaluated, it gives all six checks; a check this host could not measure is unknown with the reason, never normal', () => {
    const results = evaluateReport(result.report);
    expect(results.map((r) => r.check)).toEqual([...CHECK_IDS]);
    validate(InspectionForm, { report: result.report, results }, 'inspect --json output');
    for (const r of results) {
      const measured = result.report.measurements.some((m) => m.check === r.check);
      if (!measured) {
        expect(r.verdict, r.check).toBe('unknown');
        const gapReasons = result.report.gaps.filter((g) => g.check === r.check).map((g) => g.reason);
        expect(gapReasons.length, r.check).toBeGreaterThan(0);
        for (const reason of gapReasons) expect(r.reason, r.check).toContain(reason);
      }
      if (r.verdict !== 'normal') expect(r.reason?.length, r.check).toBeGreaterThan(5);
    }
    // CPU and memory are always readable from /proc on Linux: judged, not unknown.
    expect(results[0]!.verdict).not.toBe('unknown');
    expect(results[1]!.verdict).not.toBe('unknown');
  });

  test('power supplies come from IPMI or are a gap naming the missing IPMI device', () => {
    const power = evaluateReport(result.report)[3]!;
    const ipmi = ['/dev/ipmi0', '/dev/ipmi/0', '/dev/ipmidev/0'].some((d) => existsSync(d));
    if (ipmi) {
      expect(power.commands).toContain('ipmitool sdr elist');
    } else {
      expect(power.verdict).not.toBe('normal');
      expect(power.reason).toMatch(/IPMI/);
    }
  });

  test('two collections get distinct report ids', async () => {
    const again = await collectLocal({ windowMs: 300, sampleEveryMs: 100 });
    expect(again.report.id).not.toBe(result.report.id);
    expect(again.report.id).toMatch(/^local-[0-9a-f-]{36}$/);
  });

  test('a summary from the agent sampler replaces the sampling window', async () => {
    const sampler = createCpuSampler();
    await sampler.sample();
    expect(sampler.summary()).toBeUndefined();
    // Keep one core busy between the readings so the counters move whatever the host does.
    const end = Date.now() + 300;
    while (Date.now() < end) Math.sqrt(Math.random());
    await sampler.sample();
    const cpu = sampler.summary()!;
    expect(cpu.samples).toBe(2);
    expect(cpu.avg).toBeGreaterThan(0);
    const r = await collectLocal({ windowMs: 60_000, cpu });
    const [avg] = r.report.measurements.filter((m) => m.metric === 'cpu.avg');
    expect(avg?.value).toBe(cpu.avg);
    expect(r.report.window.start).toBe(cpu.since);
  });
});

describe('run (the local command runner)', () => {
  test('rejects with the exit code and output when the command fails', async () => {
    const err = await run('ls', ['/definitely/not/here']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).exitCode).not.toBe(0);
    expect((err as CommandError).stderr).toMatch(/No such file/);
  });

  test('rejects on timeout and kills the child', async () => {
    const err = await run('sleep', ['5'], { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).timedOut).toBe(true);
    expect((err as CommandError).code).toBe('COMMAND_TIMEOUT');
  });

  test('rejects when the program does not exist', async () => {
    const err = await run('no-such-program-xunjian', []).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandError);
    expect((err as CommandError).exitCode).toBeNull();
  });
});
