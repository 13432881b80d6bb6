import type { Principal } from '../auth.js';
import { ApiError, forbidden } from '../errors.js';
import type { Repositories } from '../repositories/index.js';
import type { Store } from '../storage/store.js';
import { AuditLog } from '../users/index.js';

/** The command an admin runs to (re)bind a token, quoted in refusals so the fix is one paste away. */
export const bindCommand = (tokenId: number, hostname: string) => `xunjian collector token bind ${tokenId} --device ${hostname}`;

/** 403 with its own code: /metrics counts these apart (xunjian_reports_rejected_total{reason="wrong_device"}). */
const wrongDevice = (message: string) => new ApiError(403, 'wrong_device', message);


/**
 * An agent token speaks for one device only. Engineer tokens (the field CLI) report every device
 * of their site and admin principals (the collector's own poller and syslog receiver, an admin's
 * script) what they poll; both are scoped by `siteFor` alone. Runs inside the write's transaction
 * and reads the binding from the database, not from the request's principal: the second of two
 * first reports of one token in one group commit is judged against the binding the first made.
 *
 * An unbound agent token is bound to the first device it reports for (trust on first use,
 * audited) — unless that device is already in the equipment record from another source (the
 * core switch an engineer inspects, a server another agent reports for): then only an admin binds
 * it, so a new token cannot take over a known device.
 */
export async function assertSpeaksFor(store: Store, repos: Repositories, principal: Principal, site: string, hostname: string, nowMs: number): Promise<void> {
  if (principal.role !== 'agent') return;
  // Bound when it authenticated, to this very device: nothing to read again.
  if (principal.device != null && principal.device === hostname) return;
  const token = await repos.tokens.get(principal.tokenId);
  if (!token) throw forbidden(`token "${principal.name}" no longer exists`);
  if (token.device !== null) {
    if (token.device === hostname) return;
    throw wrongDevice(
      `token "${token.name}" is for device ${token.device}; it may not report for ${hostname} (a renamed server is re-bound by an admin: ${bindCommand(token.id, hostname)})`,
    );
  }
  const known = await repos.devices.get(site, hostname);
  const others = (await repos.tokens.boundTo(site, hostname)).filter((t) => t.id !== token.id);
  if (others.length > 0 || (known && known.lastSource !== null && known.lastSource !== 'agent')) {
    throw wrongDevice(
      `token "${token.name}" is not bound to a device yet, and ${hostname} is already reported ${others.length ? 'by another agent token' : `over ${known!.lastSource}`}: ` +
        `an admin binds it (${bindCommand(token.id, hostname)})`,
    );
  }
  // Only while unbound: of two first reports racing (two connections on PostgreSQL), one binds.
  if (!(await repos.tokens.bindOnFirstUse(token.id, hostname, nowMs))) {
    // The other one won, or the token was revoked meanwhile: what it is now decides.
    const now = await repos.tokens.get(token.id);
    if (!now || now.revokedAt !== null) throw forbidden(`token "${token.name}" was revoked`);
    if (now.device === hostname) return;
    throw wrongDevice(`token "${token.name}" is for device ${now.device}; it may not report for ${hostname} (a renamed server is re-bound by an admin: ${bindCommand(token.id, hostname)})`);
  }
  await new AuditLog(store).record({
    at: nowMs,
    actor: token.name,
    role: token.role,
    action: 'token.bind',
    site,
    subject: `token #${token.id}`,
    detail: `bound to ${hostname} on first use`,
  });
}
