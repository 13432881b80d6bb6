import { createHmac } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/*
 * OpenSSH's known_hosts format: `hosts keytype base64key [comment]`, where `hosts` is a comma list
 * of names (`name` for port 22, `[name]:port` otherwise, `*`/`?` wildcards, `!` negation) or one
 * hashed name `|1|base64salt|base64(HMAC-SHA1(salt, name))`. `@revoked` marks a key never to trust;
 * `@cert-authority` lines are for host certificates, which we do not use, so they are skipped.
 */

export interface KnownHostKey {
  type: string;
  /** base64 of the public key blob (what ssh2 hands the host verifier, base64-encoded). */
  key: string;
  revoked: boolean;
  line: number;
}

/** The name known_hosts uses for a host and port. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function hashedMatches(entry: string, name: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|')) return hashedMatches(field, name);
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (wildcardToRegExp(p).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The keys a known_hosts text holds for `host:port`. */
export function findKnownKeys(text: string, host: string, port: number): KnownHostKey[] {
  const name = knownHostsName(host, port);
  const keys: KnownHostKey[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    let fields = line.split(/\s+/);
    let revoked = false;
    if (fields[0]?.startsWith('@')) {
      if (fields[0] === '@revoked') revoked = true;
      else return; // @cert-authority
      fields = fields.slice(1);
    }
    const [hosts, type, key] = fields;
    if (!hosts || !type || !key) return;
    if (hostFieldMatches(hosts, name)) keys.push({ type, key, revoked, line: index + 1 });
  });
  return keys;
}

/** Reads a known_hosts file; a missing file holds no keys. */
export function readKnownHosts(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

/** Appends one key (plain name, like `ssh -o StrictHostKeyChecking=accept-new` does). */
export function appendKnownHost(path: string, host: string, port: number, type: string, key: string): void {
  mkdirSync(dirname(path), { recursive: true });
  // One write per line: concurrent appends from parallel connections do not interleave.
  appendFileSync(path, `${knownHostsName(host, port)} ${type} ${key}\n`, { mode: 0o600 });
}

/** The key type written inside an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`…). */
export function keyTypeOfBlob(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const len = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + len).toString('ascii');
}

/** The host key algorithms to offer so the server presents a key type we already know. */
export function algorithmsFor(types: string[]): string[] {
  const algs: string[] = [];
  for (const t of types) {
    if (t === 'ssh-rsa') algs.push('rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa');
    else algs.push(t);
  }
  return [...new Set(algs)];
}
