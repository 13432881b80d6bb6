import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exitCodeFor } from '../../checks/index.js';
import { InspectionForm, validate } from '../../schemas/index.js';
import { nodeEntry } from '../helpers/node-entry.js';

const root = resolve(import.meta.dirname, '../..');

/** Runs the real `inspect` command (compiled once for the run, test/helpers/node-entry.ts) and gives its exit code and output. */
function inspect(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [...nodeEntry(resolve(root, 'bin/inspect.ts')), ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

describe('inspect (the command)', () => {
  it('--local --json prints a valid form of this machine and exits by its verdicts', async () => {
    const { code, stdout } = await inspect('--local', '--window', '1s', '--json', '--lang', 'en');
    const form = validate(InspectionForm, JSON.parse(stdout), 'inspect output');
    expect(form.results.map((r) => r.check)).toEqual(['SXKR-001', 'SXKR-002', 'SXKR-003', 'SXKR-004', 'SXKR-005', 'SXKR-006']);
    expect(form.report.source).toBe('local');
    expect(code).toBe(exitCodeFor(form.results.map((r) => r.verdict)));
  });

  it('--local prints the Chinese form by default', async () => {
    const { stdout } = await inspect('--local', '--window', '1s');
    expect(stdout).toContain('检查期待结果');
    expect(stdout).toMatch(/│ SXKR-002 │[^\n]*│ 正常 +│/); // memory is measurable on any Linux
  });

  it.each([
    [[], /say what to inspect/],
    [['--local', '--window', 'soon'], /invalid --window "soon"/],
    [['--snmp', '127.0.0.1'], /--community .* is required/],
    [['--local', '--lang', 'fr'], /argument 'fr' is invalid/],
  ])('usage error %j → exit 2 with a clear message', async (args, message) => {
    const { code, stderr } = await inspect(...(args as string[]));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('an SNMP device that does not answer is unknown with the reason (exit 3)', async () => {
    const { code, stdout } = await inspect('--snmp', '127.0.0.1:9', '--community', 'public', '--timeout', '300ms', '--retries', '0', '--json');
    const form = validate(InspectionForm, JSON.parse(stdout), 'inspect output');
    expect(code).toBe(3);
    expect(form.results.every((r) => r.verdict === 'unknown')).toBe(true);
    expect(form.results[0]!.reason).toMatch(/no SNMP answer from 127.0.0.1:9/);
  });
});
