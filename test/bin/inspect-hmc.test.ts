/**
 * `inspect --hmc` as an engineer runs it against a stand-in HMC on a real sshd (TCP 2272; its
 * `lssyscfg`/`lssvcevents` answer with the recorded output, test/helpers/hmc.ts): an unknown host
 * key is refused without --accept-new (exit 3), recorded with it (the server's open power, fan and
 * thermal events: exit 1), and a changed key is refused with the reason; no login or no managed
 * system is a usage error.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InspectionForm, validate } from '../../schemas/index.js';
import { hmcFixture, hmcHost } from '../helpers/hmc.js';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd.js';
import { inspect } from './inspect-cli.js';

const PORT = 2272;
let fleet: SshdFleet;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xunjian-inspect-hmc-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  hmcHost(bin, { events: hmcFixture('lssvcevents-power-fan-thermal-constructed') });
  fleet = await startSshdFleet([PORT], { sessionEnv: () => ({ PATH: `${bin}:/usr/bin:/bin` }) });
}, 60_000);
afterAll(async () => {
  await fleet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('inspect --hmc', { timeout: 300_000 }, () => {
  const knownHosts = () => join(dir, 'known_hosts');
  const args = () => ['--hmc', `127.0.0.1:${PORT}`, '--managed-system', 'Server-9117-MMA-SN10ACFDE', '--hmc-user', fleet.user, '--key', fleet.clientKeyPath, '--known-hosts', knownHosts(), '--hostname', 'p780', '--bmc-timeout', '60s', '--json', '--lang', 'en'];
  const form = (stdout: string) => validate(InspectionForm, JSON.parse(stdout), 'stdout');

  it('refuses an unknown host key, records it with --accept-new and prints the form; a changed key is refused', async () => {
    const first = await inspect(dir, args(), { SSH_AUTH_SOCK: '' });
    expect(first.code, first.stderr).toBe(3);
    expect(form(first.stdout).results.find((r) => r.check === 'SXKR-004')!.reason).toMatch(/--accept-new/);

    const second = await inspect(dir, [...args(), '--accept-new'], { SSH_AUTH_SOCK: '' });
    expect(second.code, second.stderr).toBe(1);
    const f = form(second.stdout);
    expect(f.report).toMatchObject({ source: 'bmc', identity: { hostname: 'p780' } });
    expect(f.results.find((r) => r.check === 'SXKR-004')!.verdict).toBe('abnormal');
    expect(f.results.find((r) => r.check === 'SXKR-004')!.commands.some((c) => c.startsWith('lssvcevents') && c.endsWith(`(HMC 127.0.0.1:${PORT})`))).toBe(true);
    expect(readFileSync(knownHosts(), 'utf8')).toContain(fleet.hosts[0]!.hostKey);

    writeFileSync(knownHosts(), `[127.0.0.1]:${PORT} ${fleet.strayHostKey}\n`);
    const third = await inspect(dir, [...args(), '--accept-new'], { SSH_AUTH_SOCK: '' });
    expect(third.code).toBe(3);
    expect(form(third.stdout).results.find((r) => r.check === 'SXKR-005')!.reason).toMatch(/HOST KEY HAS CHANGED/);
  });

  it('no managed system, or no way to log in: a usage error saying so', async () => {
    const noSystem = await inspect(dir, ['--hmc', `127.0.0.1:${PORT}`, '--key', fleet.clientKeyPath]);
    expect(noSystem.code).toBe(2);
    expect(noSystem.stderr).toContain('--managed-system');
    const noLogin = await inspect(dir, ['--hmc', `127.0.0.1:${PORT}`, '--managed-system', 'x'], { SSH_AUTH_SOCK: '', XUNJIAN_HMC_PASSWORD: '' });
    expect(noLogin.code).toBe(2);
    expect(noLogin.stderr).toContain('XUNJIAN_HMC_PASSWORD');
  });
});
