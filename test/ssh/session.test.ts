import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import { startSshdFleet, closedPort, type SshdFleet } from '../helpers/sshd.js';
import {
  openSshSession,
  SshAuthError,
  SshConfigError,
  SshHostKeyError,
  SshTimeoutError,
  SshUnreachableError,
} from '../../checks/sources/ssh/index.js';
import { batchingSession } from '../../checks/sources/ssh/batch.js';

// Ports 2200–2204 belong to this file.
let fleet: SshdFleet;
let dir: string;

beforeAll(async () => {
  fleet = await startSshdFleet([2200, 2201]);
  dir = mkdtempSync(join(tmpdir(), 'xunjian-ssh-test-'));
});
afterAll(async () => {
  await fleet?.stop();
});

function known(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('SSH session', () => {
  it('logs in with a key verified against known_hosts and runs commands', async () => {
    const s = await openSshSession({
      host: '127.0.0.1',
      port: fleet.hosts[0]!.port,
      user: fleet.user,
      privateKeyPath: fleet.clientKeyPath,
      knownHostsPath: known('kh1', fleet.knownHosts()),
    });
    try {
      const r = await s.exec('uname -s; echo err >&2; exit 3');
      expect(r.stdout).toBe('Linux');
      expect(r.stderr).toBe('err');
      expect(r.code).toBe(3);
    } finally {
      s.close();
    }
  });

  it('accepts a hashed known_hosts entry', async () => {
    const port = fleet.hosts[1]!.port;
    const salt = randomBytes(20);
    const hash = createHmac('sha1', salt).update(`[127.0.0.1]:${port}`).digest('base64');
    const s = await openSshSession({
      host: '127.0.0.1',
      port,
      user: fleet.user,
      privateKeyPath: fleet.clientKeyPath,
      knownHostsPath: known('kh-hashed', `|1|${salt.toString('base64')}|${hash} ${fleet.hosts[1]!.hostKey}\n`),
    });
    s.close();
  });

  it('refuses a changed host key with a clear message', async () => {
    const port = fleet.hosts[0]!.port;
    const err = await openSshSession({
      host: '127.0.0.1',
      port,
      user: fleet.user,
      privateKeyPath: fleet.clientKeyPath,
      acceptNew: true, // accept-new never overrides a changed key
      knownHostsPath: known('kh-changed', `[127.0.0.1]:${port} ${fleet.strayHostKey}\n`),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshHostKeyError);
    expect((err as SshHostKeyError).reason).toBe('changed');
    expect((err as Error).message).toMatch(/HOST KEY HAS CHANGED/);
  });

  it('refuses an unknown host unless acceptNew, which records its key', async () => {
    const port = fleet.hosts[1]!.port;
    const path = known('kh-empty', '');
    const opts = { host: '127.0.0.1', port, user: fleet.user, privateKeyPath: fleet.clientKeyPath, knownHostsPath: path };
    const err = await openSshSession(opts).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshHostKeyError);
    expect((err as SshHostKeyError).reason).toBe('unknown');
    const s = await openSshSession({ ...opts, acceptNew: true });
    s.close();
    expect(readFileSync(path, 'utf8')).toBe(`[127.0.0.1]:${port} ${fleet.hosts[1]!.hostKey}\n`);
    // Now known: works without acceptNew.
    (await openSshSession(opts)).close();
  });

  it('reports a wrong password as an authentication failure', async () => {
    const err = await openSshSession({
      host: '127.0.0.1',
      port: fleet.hosts[0]!.port,
      user: fleet.user,
      password: 'not-the-password',
      knownHostsPath: known('kh2', fleet.knownHosts()),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshAuthError);
  });

  it('names the key file that does not exist', async () => {
    const missing = join(dir, 'no-such-key');
    const err = await openSshSession({
      host: '127.0.0.1',
      port: fleet.hosts[0]!.port,
      user: fleet.user,
      privateKeyPath: missing,
      knownHostsPath: known('kh-key', fleet.knownHosts()),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshConfigError);
    expect((err as Error).message).toBe(`127.0.0.1:${fleet.hosts[0]!.port}: private key file ${missing} does not exist`);
  });

  it('reports a refused connection as unreachable', async () => {
    const port = await closedPort();
    const err = await openSshSession({
      host: '127.0.0.1',
      port,
      user: fleet.user,
      privateKeyPath: fleet.clientKeyPath,
      knownHostsPath: known('kh3', ''),
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SshUnreachableError);
    expect((err as Error).message).toMatch(/refused/);
  });

  it('rejects a command that outlives its timeout', async () => {
    const s = await openSshSession({
      host: '127.0.0.1',
      port: fleet.hosts[0]!.port,
      user: fleet.user,
      privateKeyPath: fleet.clientKeyPath,
      knownHostsPath: known('kh4', fleet.knownHosts()),
    });
    try {
      const err = await s.exec('sleep 30', { timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SshTimeoutError);
      // The session is still usable afterwards.
      expect((await s.exec('echo ok')).stdout).toBe('ok');
    } finally {
      s.close();
    }
  });

  it('sends commands issued together as one batch and gives each its own output, errors and status', async () => {
    const s = await openSshSession({
      host: '127.0.0.1',
      port: fleet.hosts[0]!.port,
      user: fleet.user,
      privateKeyPath: fleet.clientKeyPath,
      knownHostsPath: known('kh5', fleet.knownHosts()),
    });
    let channels = 0;
    const counting = { ...s, exec: (c: string, o?: { timeoutMs?: number }) => (channels++, s.exec(c, o)) };
    const b = batchingSession(counting);
    try {
      const [a, e, x, n] = await Promise.all([
        b.exec('echo one; echo two'),
        b.exec('echo oops >&2; exit 3'),
        b.exec("printf 'no newline'"),
        b.exec('cat /nonexistent-xunjian'),
      ]);
      expect(channels).toBe(1);
      expect(a).toEqual({ command: 'echo one; echo two', stdout: 'one\ntwo', stderr: '', code: 0 });
      expect(e).toMatchObject({ stdout: '', stderr: 'oops', code: 3 });
      expect(x).toMatchObject({ stdout: 'no newline', code: 0 });
      expect(n.code).not.toBe(0);
      expect(n.stderr).toMatch(/No such file/);
    } finally {
      s.close();
    }
  });
});
