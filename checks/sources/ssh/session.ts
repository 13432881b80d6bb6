import { accessSync, constants, statSync } from 'node:fs';
import { NodeSSH } from 'node-ssh';
import {
  SshAuthError,
  SshConfigError,
  SshError,
  SshHostKeyError,
  SshTimeoutError,
  SshUnreachableError,
} from './errors.js';
import { algorithmsFor, appendKnownHost, findKnownKeys, keyTypeOfBlob, readKnownHosts } from './known-hosts.js';
import type { CommandResult, Executor } from '../commands/executor.js';

/** How to reach and log in to one server. Secrets are resolved values, never stored in files. */
export interface SshConnectOptions {
  host: string;
  port?: number;
  user: string;
  /** A private key file. */
  privateKeyPath?: string;
  passphrase?: string;
  /** ssh-agent socket (usually process.env.SSH_AUTH_SOCK). */
  agent?: string;
  /** A password resolved from `password_env` or a prompt. */
  password?: string;
  /** known_hosts file to verify the host key against. */
  knownHostsPath: string;
  /** Trust and record a host seen for the first time (never a changed key). */
  acceptNew?: boolean;
  /** TCP connect + handshake + authentication. Default 10 s. */
  connectTimeoutMs?: number;
  /** Per command. Default 30 s. */
  commandTimeoutMs?: number;
}

export type { CommandResult };

/** One logged-in SSH connection whose calls all reject on error and on timeout: an executor of the OS command sets. */
export interface SshSession extends Executor {
  readonly host: string;
  exec(command: string, opts?: { timeoutMs?: number }): Promise<CommandResult>;
  close(): void;
}

function hostLabel(o: SshConnectOptions): string {
  return `${o.host}:${o.port ?? 22}`;
}

/** Maps ssh2/net errors onto our hierarchy so the report can say why in one line. */
function classify(label: string, e: unknown, hostKeyFailure: SshHostKeyError | undefined): SshError {
  if (hostKeyFailure) return hostKeyFailure;
  if (e instanceof SshError) return e;
  const err = e as { code?: string; level?: string; message?: string };
  const msg = err?.message ?? String(e);
  if (err?.level === 'client-authentication' || /authentication methods failed/i.test(msg)) {
    return new SshAuthError(label, `authentication failed (${msg})`, { cause: e });
  }
  if (err?.level === 'client-timeout' || err?.code === 'ETIMEDOUT' || /timed out/i.test(msg)) {
    return new SshTimeoutError(label, `timed out connecting (${msg})`, { cause: e });
  }
  if (err?.code === 'ECONNREFUSED') return new SshUnreachableError(label, 'connection refused', { cause: e });
  if (err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') {
    return new SshUnreachableError(label, `host name not resolved (${err.code})`, { cause: e });
  }
  if (err?.code === 'EHOSTUNREACH' || err?.code === 'ENETUNREACH' || err?.code === 'ECONNRESET') {
    return new SshUnreachableError(label, `host unreachable (${err.code})`, { cause: e });
  }
  if (/private key|passphrase|parse/i.test(msg)) return new SshConfigError(label, msg, { cause: e });
  return new SshError('SSH', label, msg, { cause: e });
}

/**
 * The key file is named in the message a person acts on (node-ssh would only say
 * "config.privateKeyPath does not exist at given fs path").
 */
function checkKeyFile(label: string, path: string): void {
  try {
    if (!statSync(path).isFile()) throw new SshConfigError(label, `private key file ${path} is not a file`);
    accessSync(path, constants.R_OK);
  } catch (e) {
    if (e instanceof SshConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${(e as Error).message})`;
    throw new SshConfigError(label, `private key file ${path} ${why}`, { cause: e });
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => Error, cleanup?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cleanup?.();
      reject(onTimeout());
    }, ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Connects and authenticates, verifying the host key against known_hosts first. A host whose key
 * differs from the recorded one is refused with SshHostKeyError('changed'); an unrecorded host is
 * refused unless `acceptNew`, which appends its key.
 */
export async function openSshSession(o: SshConnectOptions): Promise<SshSession> {
  const port = o.port ?? 22;
  const label = hostLabel(o);
  const connectTimeoutMs = o.connectTimeoutMs ?? 10_000;
  if (!o.privateKeyPath && !o.agent && o.password === undefined) {
    throw new SshConfigError(label, 'no authentication configured (key file, ssh-agent or password)');
  }
  if (o.privateKeyPath) checkKeyFile(label, o.privateKeyPath);
  let known;
  try {
    known = findKnownKeys(readKnownHosts(o.knownHostsPath), o.host, port);
  } catch (e) {
    throw new SshConfigError(label, `cannot read known_hosts ${o.knownHostsPath}: ${(e as Error).message}`, { cause: e });
  }
  const trusted = known.filter((k) => !k.revoked);
  let hostKeyFailure: SshHostKeyError | undefined;

  const hostVerifier = (blob: Buffer): boolean => {
    const key = blob.toString('base64');
    const type = keyTypeOfBlob(blob);
    const revoked = known.find((k) => k.revoked && k.key === key);
    if (revoked) {
      hostKeyFailure = new SshHostKeyError(label, 'changed', `host key ${type} is marked @revoked in ${o.knownHostsPath}:${revoked.line}`);
      return false;
    }
    if (trusted.some((k) => k.key === key)) return true;
    if (trusted.length > 0) {
      const lines = trusted.map((k) => k.line).join(', ');
      hostKeyFailure = new SshHostKeyError(
        label,
        'changed',
        `REMOTE HOST KEY HAS CHANGED (${type}); it does not match ${o.knownHostsPath} line ${lines}. ` +
          'Someone could be intercepting the connection, or the host was reinstalled: verify, then remove the old line.',
      );
      return false;
    }
    if (!o.acceptNew) {
      hostKeyFailure = new SshHostKeyError(label, 'unknown', `host key ${type} not in ${o.knownHostsPath}; verify it, or run with --accept-new`);
      return false;
    }
    appendKnownHost(o.knownHostsPath, o.host, port, type, key);
    return true;
  };

  const ssh = new NodeSSH();
  const config: Parameters<NodeSSH['connect']>[0] = {
    host: o.host,
    port,
    username: o.user,
    readyTimeout: connectTimeoutMs,
    hostVerifier,
    tryKeyboard: false,
  };
  // Offer only the key types we hold, as OpenSSH does; otherwise a host with several keys could
  // present another type and look "changed".
  if (trusted.length > 0) config.algorithms = { serverHostKey: algorithmsFor(trusted.map((k) => k.type)) as never };
  if (o.privateKeyPath) config.privateKeyPath = o.privateKeyPath;
  if (o.passphrase) config.passphrase = o.passphrase;
  if (o.agent) config.agent = o.agent;
  if (o.password !== undefined) config.password = o.password;

  try {
    await withTimeout(
      ssh.connect(config),
      connectTimeoutMs + 2_000,
      () => new SshTimeoutError(label, `no login within ${connectTimeoutMs} ms`),
      () => ssh.dispose(),
    );
  } catch (e) {
    ssh.dispose();
    throw classify(label, e, hostKeyFailure);
  }
  // Errors after login (a dropped connection) must not crash the process as unhandled events.
  ssh.connection?.on('error', () => undefined);

  const commandTimeoutMs = o.commandTimeoutMs ?? 30_000;
  return {
    host: label,
    async exec(command, opts = {}) {
      const ms = opts.timeoutMs ?? commandTimeoutMs;
      let channel: { close(): unknown } | undefined;
      try {
        const r = await withTimeout(
          ssh.execCommand(command, { onChannel: (c: { close(): unknown }) => (channel = c) }),
          ms,
          () => new SshTimeoutError(label, `command timed out after ${ms} ms: ${command}`),
          () => channel?.close(),
        );
        return { command, stdout: r.stdout, stderr: r.stderr, code: r.code };
      } catch (e) {
        throw classify(label, e, undefined);
      }
    },
    close() {
      ssh.dispose();
    },
  };
}
