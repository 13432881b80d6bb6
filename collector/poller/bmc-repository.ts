import type { BmcTargetInput, BmcTargetPatch, BmcTargetView } from '../../schemas/index.js';
import { badRequest, conflict, notFound } from '../errors.js';
import { isUniqueViolation, type Param, type Store } from '../storage/store.js';
import type { CredentialBox } from './crypto.js';
import type { Scheduled } from './queue.js';
import { dueIn, iso, opt, type PollRecord } from './repository.js';

export interface RawBmcTarget {
  id: number;
  site: string;
  protocol: 'redfish' | 'ipmi' | 'hmc';
  host: string;
  port: number;
  user_name: string;
  password_sealed: string | null;
  private_key_sealed: string | null;
  auth: string | null;
  managed_system: string | null;
  cipher_suite: number | null;
  timeout_ms: number;
  interval_s: number;
  hostname: string;
  role: string | null;
  pinned: string | null;
  presented: string | null;
  token_id: number | null;
  created_at: number;
  last_poll_at: number | null;
  last_result: string | null;
  last_error: string | null;
  last_success_at: number | null;
  last_report_id: string | null;
}

const DEFAULT_PORT = { redfish: 443, ipmi: 623, hmc: 22 } as const;


function view(r: RawBmcTarget): BmcTargetView {
  return {
    id: r.id,
    site: r.site,
    protocol: r.protocol,
    host: r.host,
    port: r.port,
    user: r.user_name,
    hasPassword: r.password_sealed !== null,
    hasPrivateKey: r.private_key_sealed !== null,
    ...opt('auth', r.auth),
    ...opt('managedSystem', r.managed_system),
    ...opt('cipherSuite', r.cipher_suite),
    timeoutMs: r.timeout_ms,
    intervalS: r.interval_s,
    hostname: r.hostname,
    ...opt('role', r.role),
    ...opt('pinned', r.pinned),
    ...opt('presented', r.presented),
    ...opt('lastPollAt', iso(r.last_poll_at)),
    ...opt('lastResult', r.last_result),
    ...opt('lastError', r.last_error),
    ...opt('lastSuccessAt', iso(r.last_success_at)),
    ...opt('lastReportId', r.last_report_id),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** Redfish and IPMI need a password; an HMC a password or a key, and the managed system to read. */
function assertComplete(t: { protocol: string; password: boolean; privateKey: boolean; managedSystem: string | null | undefined }): void {
  if (t.protocol === 'hmc') {
    if (!t.managedSystem) throw badRequest('managed_system_required', 'an hmc target needs managedSystem: the server’s name on the HMC (or type-model*serial)');
    if (!t.password && !t.privateKey) throw badRequest('credentials_required', 'an hmc target needs a password or a privateKey');
    return;
  }
  if (t.privateKey) throw badRequest('private_key_not_used', `a ${t.protocol} target logs in with a password, not a privateKey`);
  if (!t.password) throw badRequest('password_required', `a ${t.protocol} target needs a password`);
}

/** Out-of-band targets; the only code that writes `bmc_targets`. */
export class BmcTargetsRepository {
  constructor(
    private readonly store: Store,
    private readonly box: CredentialBox,
  ) {}

  private async raw(site: string, id: number): Promise<RawBmcTarget> {
    const r = await this.store.get<RawBmcTarget>('SELECT * FROM bmc_targets WHERE id = ? AND site = ?', [id, site]);
    if (!r) throw notFound(`no BMC/HMC target ${id} at site ${site}`);
    return r;
  }

  private async unique<T>(site: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (isUniqueViolation(e)) throw conflict(`site ${site} already has that target (protocol, host, port, managed system)`);
      throw e;
    }
  }

  async create(site: string, input: BmcTargetInput, tokenId: number | null, now: number): Promise<BmcTargetView> {
    if (!this.box.ready) this.box.seal(''); // throws the 400 saying how to configure a key
    assertComplete({ protocol: input.protocol, password: input.password !== undefined, privateKey: input.privateKey !== undefined, managedSystem: input.managedSystem });
    const seal = (v: string | undefined) => (v === undefined ? null : this.box.seal(v));
    const row = await this.unique(site, () =>
      this.store.get<{ id: number }>(
        `INSERT INTO bmc_targets (site, protocol, host, port, user_name, password_sealed, private_key_sealed, auth, managed_system, cipher_suite,
           timeout_ms, interval_s, hostname, role, token_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        [
          site, input.protocol, input.host, input.port ?? DEFAULT_PORT[input.protocol], input.user, seal(input.password), seal(input.privateKey),
          input.auth ?? null, input.managedSystem ?? null, input.cipherSuite ?? null, input.timeoutMs, input.intervalS, input.hostname, input.role ?? null, tokenId, now,
        ],
      ),
    );
    return this.get(site, row!.id);
  }

  async update(site: string, id: number, patch: BmcTargetPatch): Promise<BmcTargetView> {
    const r = await this.raw(site, id);
    if ((patch.password !== undefined || patch.privateKey !== undefined) && !this.box.ready) this.box.seal('');
    const protocol = patch.protocol ?? r.protocol;
    assertComplete({
      protocol,
      password: patch.password !== undefined || r.password_sealed !== null,
      privateKey: patch.privateKey !== undefined || (r.private_key_sealed !== null && protocol === 'hmc'),
      managedSystem: patch.managedSystem ?? r.managed_system,
    });
    const col: Record<string, Param> = {};
    const plain = { protocol: 'protocol', host: 'host', port: 'port', user: 'user_name', auth: 'auth', managedSystem: 'managed_system', cipherSuite: 'cipher_suite', timeoutMs: 'timeout_ms', intervalS: 'interval_s', hostname: 'hostname', role: 'role' } as const;
    for (const [field, column] of Object.entries(plain)) {
      const v = patch[field as keyof typeof plain];
      if (v !== undefined) col[column] = v;
    }
    if (patch.password !== undefined) col.password_sealed = this.box.seal(patch.password);
    if (patch.privateKey !== undefined) col.private_key_sealed = this.box.seal(patch.privateKey);
    // Another address is another controller: its certificate or host key is learnt anew.
    if (patch.host !== undefined || patch.port !== undefined || patch.protocol !== undefined) Object.assign(col, { pinned: null, presented: null });
    if (patch.protocol !== undefined && patch.port === undefined && r.port === DEFAULT_PORT[r.protocol]) col.port = DEFAULT_PORT[patch.protocol];
    const keys = Object.keys(col);
    if (keys.length) await this.unique(site, () => this.store.run(`UPDATE bmc_targets SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE id = @id`, { ...col, id }));
    return this.get(site, id);
  }

  async remove(site: string, id: number): Promise<void> {
    await this.raw(site, id);
    await this.store.run('DELETE FROM bmc_targets WHERE id = ?', [id]);
  }

  async get(site: string, id: number): Promise<BmcTargetView> {
    return view(await this.raw(site, id));
  }

  async list(site: string): Promise<BmcTargetView[]> {
    return (await this.store.all<RawBmcTarget>('SELECT * FROM bmc_targets WHERE site = ? ORDER BY id', [site])).map(view);
  }

  /** Targets due at `now`, any site: the schedule's reading, without secrets. */
  due(now: number): Promise<Scheduled[]> {
    return this.store.all<Scheduled>(dueIn('bmc_targets'), [now]);
  }

  byId(id: number): Promise<RawBmcTarget | undefined> {
    return this.store.get<RawBmcTarget>('SELECT * FROM bmc_targets WHERE id = ?', [id]);
  }

  /** The password and private key, opened (throws when the key is missing or is another one). */
  secrets(r: RawBmcTarget): { password?: string; privateKey?: string } {
    return {
      ...(r.password_sealed !== null ? { password: this.box.open(r.password_sealed) } : {}),
      ...(r.private_key_sealed !== null ? { privateKey: this.box.open(r.private_key_sealed) } : {}),
    };
  }

  /** Trust on first use: the first certificate or host key seen is pinned; a different one is kept as `presented`. */
  async pin(id: number, value: string): Promise<void> {
    await this.store.run('UPDATE bmc_targets SET pinned = ?, presented = NULL WHERE id = ? AND pinned IS NULL', [value, id]);
  }

  async present(id: number, value: string | null): Promise<void> {
    await this.store.run('UPDATE bmc_targets SET presented = ? WHERE id = ?', [value, id]);
  }

  /**
   * An admin accepts a changed certificate: the one presented (which they name, having checked it)
   * becomes the pin. For an HMC, whose changed host key cannot be captured, the pin is cleared and
   * the next poll trusts the key it meets.
   */
  async acceptNew(site: string, id: number, fingerprint: string | undefined): Promise<BmcTargetView> {
    const r = await this.raw(site, id);
    if (r.protocol === 'redfish') {
      if (!r.presented) throw badRequest('no_new_certificate', `BMC target ${id} has presented no other certificate than the pinned one`);
      if (!fingerprint) throw badRequest('fingerprint_required', `name the certificate you accept: fingerprint ${r.presented}`);
      if (fingerprint.toUpperCase() !== r.presented) throw badRequest('fingerprint_mismatch', `BMC target ${id} presents ${r.presented}, not ${fingerprint}`);
      await this.store.run('UPDATE bmc_targets SET pinned = presented, presented = NULL WHERE id = ?', [id]);
    } else if (r.protocol === 'hmc') {
      await this.store.run('UPDATE bmc_targets SET pinned = NULL, presented = NULL WHERE id = ?', [id]);
    } else {
      throw badRequest('nothing_pinned', 'IPMI over LAN has no certificate or host key to accept');
    }
    return this.get(site, id);
  }

  async recordPoll(id: number, p: PollRecord): Promise<void> {
    await this.store.run(
      `UPDATE bmc_targets SET last_poll_at = @at, last_result = @result, last_error = @error, last_report_id = coalesce(@reportId, last_report_id), polled_by = @by,
         last_success_at = CASE WHEN CAST(@result AS TEXT) = 'ok' THEN @at ELSE last_success_at END
       WHERE id = @id`,
      { id, at: p.at, result: p.result, error: p.error ?? null, reportId: p.reportId ?? null, by: p.by ?? null },
    );
  }
}
