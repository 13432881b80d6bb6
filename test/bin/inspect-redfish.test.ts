/**
 * `inspect --redfish` as an engineer runs it against the DMTF mockup served over HTTPS: the first
 * run without --accept-new is refused (certificate not known, exit 3), --accept-new pins it and
 * prints the form (the mockup's PSU and drive in Warning: exit 1); no password variable is a usage
 * error. Skipped, saying so, without ../shared/testdata/redfish.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InspectionForm, validate } from '../../schemas/index.js';
import { mockupPresent, PUBLIC_RACKMOUNT, startRedfishMockup, type RedfishMockup } from '../helpers/redfish.js';
import { nodeEntry } from '../helpers/node-entry.js';

const root = resolve(import.meta.dirname, '../..');
const present = mockupPresent();
if (!present) console.warn(`inspect --redfish suite skipped: ${PUBLIC_RACKMOUNT} is not here`);

function inspect(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [...nodeEntry(join(root, 'bin/inspect.ts')), ...args], { cwd: root, timeout: 60_000, env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!present)('inspect --redfish', () => {
  let bmc: RedfishMockup;
  let dir: string;
  beforeAll(async () => {
    bmc = await startRedfishMockup({ mockupDir: PUBLIC_RACKMOUNT, users: { admin: 'pw' } });
    dir = mkdtempSync(join(tmpdir(), 'xunjian-inspect-redfish-'));
  });
  afterAll(async () => {
    await bmc?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an unknown certificate, then pins it with --accept-new and prints the form', async () => {
    const pins = join(dir, 'pins');
    const args = ['--redfish', `127.0.0.1:${bmc.port}`, '--bmc-user', 'admin', '--pins', pins, '--json', '--lang', 'en'];
    const first = await inspect(args, { XUNJIAN_BMC_PASSWORD: 'pw' });
    expect(first.code).toBe(3);
    const refused = validate(InspectionForm, JSON.parse(first.stdout), 'stdout');
    expect(refused.results.find((r) => r.check === 'SXKR-004')!.reason).toMatch(/run with --accept-new/);

    const second = await inspect([...args, '--accept-new'], { XUNJIAN_BMC_PASSWORD: 'pw' });
    expect(second.code).toBe(1);
    const form = validate(InspectionForm, JSON.parse(second.stdout), 'stdout');
    expect(form.report.source).toBe('bmc');
    expect(form.results.find((r) => r.check === 'SXKR-004')!.verdict).toBe('abnormal');
    expect(form.results.find((r) => r.check === 'SXKR-004')!.commands).toContain(`GET https://127.0.0.1:${bmc.port}/redfish/v1/Chassis/1U/Power`);
    expect(readFileSync(pins, 'utf8')).toContain(bmc.fingerprint);
  });

  it('without XUNJIAN_BMC_PASSWORD: a usage error saying so', async () => {
    const env = { ...process.env };
    delete env.XUNJIAN_BMC_PASSWORD;
    const run = await new Promise<{ code: number; stderr: string }>((done) =>
      execFile(process.execPath, [...nodeEntry(join(root, 'bin/inspect.ts')), '--redfish', `127.0.0.1:${bmc.port}`, '--bmc-user', 'admin'], { cwd: root, timeout: 60_000, env }, (error, _out, stderr) =>
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stderr }),
      ),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('XUNJIAN_BMC_PASSWORD');
  });
});
