/**
 * Starts real OpenSSH servers (Debian's openssh-server) on 127.0.0.1 for integration tests and
 * benchmarks: each with its own ed25519 host key generated here, key authentication for the
 * current user (root in CI) through an AuthorizedKeysFile in a temp dir. `stop()` kills them and
 * removes the dir. Readiness is awaited by reading the SSH banner, never by sleeping.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface SshdHost {
  port: number;
  /** `ssh-ed25519 AAAA…` of this server's host key. */
  hostKey: string;
  process: ChildProcess;
}

export interface SshdFleet {
  dir: string;
  user: string;
  /** Private key accepted by every server. */
  clientKeyPath: string;
  hosts: SshdHost[];
  /** known_hosts text listing every server's real key. */
  knownHosts(): string;
  /** A host key no server uses: write it for a host to simulate a changed key. */
  strayHostKey: string;
  stop(): Promise<void>;
}

function keygen(path: string): string {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/** Resolves once the port answers with an SSH banner; rejects when the process exits first. */
function waitForBanner(port: number, child: ChildProcess, deadlineMs = 20_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`sshd on port ${port} exited with ${code}`));
    });
    const attempt = () => {
      if (exited) return;
      const sock = connect(port, '127.0.0.1');
      let got = '';
      sock.on('data', (d) => {
        got += d.toString();
        if (got.startsWith('SSH-')) {
          sock.destroy();
          resolve();
        }
      });
      sock.on('error', () => {
        sock.destroy();
        if (Date.now() - started > deadlineMs) reject(new Error(`sshd on port ${port} not ready`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

export interface SshdFleetOptions {
  /**
   * Environment of a host's sessions (sshd_config `SetEnv`), e.g. a PATH whose first directory
   * holds scripts answering as `lsvg` or `powershell` would: how a test stands in for AIX or Windows.
   */
  sessionEnv?: (port: number) => Record<string, string> | undefined;
}

export async function startSshdFleet(ports: number[], options: SshdFleetOptions = {}): Promise<SshdFleet> {
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-sshd-'));
  // sshd insists on its privilege separation directory even when started by hand.
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const user = userInfo().username;
  const clientKeyPath = join(dir, 'client_key');
  const clientPub = keygen(clientKeyPath);
  writeFileSync(join(dir, 'authorized_keys'), `${clientPub}\n`, { mode: 0o600 });
  const strayHostKey = keygen(join(dir, 'stray_host_key'));
  const home = join(dir, 'home');
  mkdirSync(home, { mode: 0o700 });

  const hosts: SshdHost[] = [];
  const waits: Promise<void>[] = [];
  for (const port of ports) {
    const keyPath = join(dir, `host_${port}`);
    const hostKey = keygen(keyPath);
    const configPath = join(dir, `sshd_${port}.conf`);
    writeFileSync(
      configPath,
      [
        `Port ${port}`,
        'ListenAddress 127.0.0.1',
        `HostKey ${keyPath}`,
        `PidFile ${join(dir, `sshd_${port}.pid`)}`,
        `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
        'StrictModes no',
        'UsePAM no',
        'PermitRootLogin yes',
        'PubkeyAuthentication yes',
        // Password logins are allowed so that a wrong password is refused by the server itself.
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'MaxSessions 32',
        'MaxStartups 200',
        'LogLevel ERROR',
        // One SetEnv line: sshd keeps only the first. HOME is an empty folder, so a session's shell
        // reads no rc file of the machine's user: root's ~/.bashrc on this kind of machine runs
        // `pyenv init`, whose rehash takes a lock that twenty parallel sessions queued on for up to
        // a minute — the "uname -s timed out after 30 s" of test/run/site.test.ts.
        `SetEnv ${Object.entries({ HOME: home, ...options.sessionEnv?.(port) }).map(([k, v]) => `"${k}=${v}"`).join(' ')}`,
        '',
      ].join('\n'),
    );
    const child = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.on('data', () => undefined);
    hosts.push({ port, hostKey, process: child });
    waits.push(waitForBanner(port, child));
  }
  try {
    await Promise.all(waits);
  } catch (e) {
    await stopAll(hosts, dir);
    throw e;
  }
  return {
    dir,
    user,
    clientKeyPath,
    hosts,
    strayHostKey,
    knownHosts: () => hosts.map((h) => `[127.0.0.1]:${h.port} ${h.hostKey}`).join('\n') + '\n',
    stop: () => stopAll(hosts, dir),
  };
}

async function stopAll(hosts: SshdHost[], dir: string): Promise<void> {
  await Promise.all(
    hosts.map(
      (h) =>
        new Promise<void>((resolve) => {
          if (h.process.exitCode !== null || h.process.signalCode !== null) return resolve();
          h.process.once('exit', () => resolve());
          h.process.kill('SIGTERM');
        }),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
}

/** A loopback port nothing listens on (bound then released), for "connection refused". */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    import('node:net').then(({ createServer }) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const addr = srv.address();
        const port = typeof addr === 'object' && addr ? addr.port : 0;
        srv.close(() => resolve(port));
      });
    }, reject);
  });
}
