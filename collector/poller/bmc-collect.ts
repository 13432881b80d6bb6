/*
 * One out-of-band poll: a stored BMC/HMC target turned into its source's Report. Whatever goes
 * wrong with the controller (unreachable, refused credentials, a timeout, a changed certificate or
 * host key) comes back as a report whose checks are unknown with the reason — never a throw.
 *
 * Pins live in the database, trusted on first use: a Redfish certificate's sha256 is checked on
 * every TLS connection through the client's pin callback; an HMC's host key is written to a
 * throw-away known_hosts file for the session, and the key met the first time is read back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceIdentity, Report } from '../../schemas/index.js';
import { collectHmc } from '../../checks/sources/hmc/index.js';
import { collectIpmiLan } from '../../checks/sources/ipmi-lan/index.js';
import { inspectRedfish, RedfishCertificateError, type PinCheck } from '../../checks/sources/redfish/index.js';
import { findKnownKeys, knownHostsName } from '../../checks/sources/ssh/index.js';
import type { BmcTargetsRepository, RawBmcTarget } from './bmc-repository.js';

export interface BmcPollContext {
  now: Date;
  /** The previous successful poll: the log window (SXKR-006) starts there. */
  logSince?: Date;
}

function identityOf(t: RawBmcTarget): DeviceIdentity {
  return { hostname: t.hostname, kind: 'server', addresses: [], ...(t.role ? { role: t.role } : {}) };
}

/** What an admin does about a changed certificate, in the reason the form shows. */
const acceptHint = (t: RawBmcTarget) => `if the controller was re-keyed or replaced, an admin accepts the new one: POST /api/v1/sites/${t.site}/bmc-targets/${t.id}/accept-certificate`;

/**
 * The client checks the pin on every TLS connection, synchronously: the poll starts from the pin as
 * read with the target, and what it learns (a first pin, a changed certificate) is written as it
 * happens; `writes` are awaited before the poll's report is handed on.
 */
function redfishPins(targets: BmcTargetsRepository, t: RawBmcTarget, writes: Promise<void>[]): PinCheck {
  let pinned = t.pinned;
  return (target, fingerprint) => {
    const fp = fingerprint.toUpperCase();
    if (pinned === null) {
      pinned = fp;
      writes.push(targets.pin(t.id, fp));
      return;
    }
    if (pinned === fp) return;
    writes.push(targets.present(t.id, fp));
    throw new RedfishCertificateError(target, `the certificate of BMC ${target} has CHANGED (now sha256 ${fp}; pinned ${pinned}); ${acceptHint(t)} {"fingerprint":"${fp}"}; otherwise someone may be intercepting the connection`);
  };
}

async function pollHmc(targets: BmcTargetsRepository, t: RawBmcTarget, secrets: { password?: string; privateKey?: string }, ctx: BmcPollContext): Promise<Report> {
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-hmc-'));
  try {
    const knownHostsPath = join(dir, 'known_hosts');
    writeFileSync(knownHostsPath, t.pinned ? `${knownHostsName(t.host, t.port)} ${t.pinned}\n` : '', { mode: 0o600 });
    const keyPath = join(dir, 'id');
    if (secrets.privateKey) writeFileSync(keyPath, secrets.privateKey.endsWith('\n') ? secrets.privateKey : `${secrets.privateKey}\n`, { mode: 0o600 });
    const report = await collectHmc(
      {
        host: t.host,
        port: t.port,
        user: t.user_name,
        ...(secrets.password !== undefined ? { password: secrets.password } : {}),
        ...(secrets.privateKey ? { privateKeyPath: keyPath } : {}),
        knownHostsPath,
        acceptNew: t.pinned === null,
        connectTimeoutMs: t.timeout_ms,
        commandTimeoutMs: t.timeout_ms,
        managedSystem: t.managed_system ?? '',
        identity: identityOf(t),
        site: t.site,
      },
      { now: ctx.now, ...(ctx.logSince ? { logSince: ctx.logSince } : {}) },
    );
    if (t.pinned === null) {
      const met = findKnownKeys(readFileSync(knownHostsPath, 'utf8'), t.host, t.port)[0];
      if (met) await targets.pin(t.id, `${met.type} ${met.key}`);
    }
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Polls one target; its secrets are opened here and go no further than the session. */
export async function pollBmcTarget(targets: BmcTargetsRepository, t: RawBmcTarget, ctx: BmcPollContext): Promise<Report> {
  const secrets = targets.secrets(t);
  const since = { now: ctx.now, ...(ctx.logSince ? { logSince: ctx.logSince } : {}) };
  if (t.protocol === 'hmc') return pollHmc(targets, t, secrets, ctx);
  const base = { host: t.host, port: t.port, user: t.user_name, password: secrets.password ?? '', identity: identityOf(t), site: t.site, timeoutMs: t.timeout_ms };
  if (t.protocol === 'ipmi') return collectIpmiLan({ ...base, ...(t.cipher_suite !== null ? { cipherSuite: t.cipher_suite } : {}) }, since);
  const auth = t.auth === 'basic' ? 'basic' : 'session';
  const writes: Promise<void>[] = [];
  try {
    return (await inspectRedfish({ ...base, auth, pins: redfishPins(targets, t, writes) }, since)).report;
  } finally {
    await Promise.all(writes);
  }
}
