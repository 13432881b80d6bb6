/*
 * Certificate pins for BMCs, trusted on first use like SSH host keys. BMCs ship self-signed
 * certificates that no CA vouches for and whose names rarely match the address they are reached
 * at, so the certificate itself is what we trust: its SHA-256 fingerprint is recorded the first
 * time (`--accept-new`) in a file beside known_hosts, one line per controller:
 *
 *     10.0.0.5:443 sha256 AB:CD:…
 *
 * A controller seen for the first time without --accept-new is refused; a changed certificate
 * stops that controller with a message saying which line to remove if the change is expected.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { homedir } from 'node:os';
import { RedfishCertificateError } from './errors.js';

/** The pin file beside a known_hosts file (default ~/.ssh/known_bmc_certs). */
export function pinFileBeside(knownHostsPath?: string): string {
  return join(knownHostsPath ? dirname(knownHostsPath) : join(homedir(), '.ssh'), 'known_bmc_certs');
}

export interface Pin {
  target: string;
  fingerprint: string;
  line: number;
}

export function readPins(path: string): Pin[] {
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const pins: Pin[] = [];
  text.split('\n').forEach((raw, i) => {
    const [target, algo, fingerprint] = raw.trim().split(/\s+/);
    if (!target || target.startsWith('#') || algo !== 'sha256' || !fingerprint) return;
    pins.push({ target: target.toLowerCase(), fingerprint: fingerprint.toUpperCase(), line: i + 1 });
  });
  return pins;
}

export interface PinPolicy {
  path: string;
  acceptNew: boolean;
}

/**
 * Throws unless `fingerprint` is the one pinned for `target`; records it when the target is new
 * and `acceptNew` is set. Called on every new TLS connection before any request is sent on it.
 */
export function checkPin(policy: PinPolicy, target: string, fingerprint: string): void {
  const key = target.toLowerCase();
  const fp = fingerprint.toUpperCase();
  const pinned = readPins(policy.path).filter((p) => p.target === key);
  if (pinned.some((p) => p.fingerprint === fp)) return;
  if (pinned.length > 0) {
    throw new RedfishCertificateError(
      target,
      `the certificate of BMC ${target} has CHANGED (now sha256 ${fp}; pinned ${pinned[0]!.fingerprint} at ${policy.path}:${pinned[0]!.line}). ` +
        'If the controller was re-keyed or replaced, remove that line and run again with --accept-new; otherwise someone may be intercepting the connection',
    );
  }
  if (!policy.acceptNew) {
    throw new RedfishCertificateError(
      target,
      `the certificate of BMC ${target} (sha256 ${fp}) is not known in ${policy.path}: run with --accept-new to trust it`,
    );
  }
  mkdirSync(dirname(policy.path), { recursive: true, mode: 0o700 });
  appendFileSync(policy.path, `${key} sha256 ${fp}\n`, { mode: 0o600 });
}
