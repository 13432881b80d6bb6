import { userInfo } from 'node:os';
import { isName, NAME_RULE, XunjianError } from '../../schemas/index.js';
import { TokensRepository, type TokenRole, type TokenRow } from '../repositories/index.js';
import type { Store } from '../storage/store.js';
import { AuditLog } from '../users/index.js';

/** Who ran an administrative command on the collector's machine: the audit log's actor. */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Audits a change made from the command line (the API's changes are audited by their routes). */
export async function auditCli(store: Store, e: { action: string; site: string | null; subject: string; detail?: string | null }, now = Date.now()): Promise<void> {
  await new AuditLog(store).record({ at: now, actor: cliActor(), role: 'admin', ...e });
}

function assertName(value: string | undefined | null, flag: string, max: number): void {
  if (value != null && !isName(value, max)) throw new XunjianError('USAGE', `${flag} must be ${NAME_RULE} (at most ${max} characters)`);
}

/** `token create`: names checked like the API's, the token bound when --device is given, audited. */
export async function createTokenAudited(
  store: Store,
  input: { name: string; role: TokenRole; site: string | null; device?: string | null },
): Promise<{ token: string; row: TokenRow }> {
  assertName(input.site, '--site', 100);
  assertName(input.device, '--device', 255);
  if (input.device && input.role !== 'agent') throw new XunjianError('USAGE', '--device is for agent tokens: engineer and admin tokens report every device of their site');
  const created = await new TokensRepository(store).create(input);
  const { row } = created;
  await auditCli(store, { action: 'token.create', site: row.site, subject: `token #${row.id}`, detail: `${row.role} "${row.name}"${row.device ? ` for device ${row.device}` : ''}` });
  return created;
}

export async function revokeTokenAudited(store: Store, id: number): Promise<boolean> {
  const tokens = new TokensRepository(store);
  const row = await tokens.get(id);
  if (!row || !(await tokens.revoke(id))) return false;
  await auditCli(store, { action: 'token.revoke', site: row.site, subject: `token #${id}`, detail: `${row.role} "${row.name}"` });
  return true;
}

/** `token bind ID --device HOST`: the admin's re-binding of an agent token (a server renamed). */
export async function bindTokenAudited(store: Store, id: number, device: string): Promise<TokenRow> {
  assertName(device, '--device', 255);
  const tokens = new TokensRepository(store);
  const row = await tokens.get(id);
  if (!row || row.revokedAt !== null) throw new XunjianError('USAGE', `no live token ${id}`);
  if (row.role !== 'agent') throw new XunjianError('USAGE', `token ${id} is a ${row.role} token: only agent tokens are bound to one device`);
  await tokens.bind(id, device);
  await auditCli(store, { action: 'token.bind', site: row.site, subject: `token #${id}`, detail: `${row.device ?? 'unbound'} → ${device} (by an admin)` });
  return (await tokens.get(id))!;
}

const SECRET_FIELDS = new Set(['community', 'authKey', 'privKey', 'password', 'privateKey', 'token']);
const MAX_DETAIL = 2000;

/**
 * What a change set: each field with its new value as JSON, secrets as "(changed)" — the audit
 * log is read by engineers, and a community string must not reach it.
 */
export function changeDetail(body: Record<string, unknown>): string {
  const parts = Object.entries(body).map(([k, v]) => `${k}: ${SECRET_FIELDS.has(k) ? '(changed)' : JSON.stringify(v)}`);
  const text = parts.join('; ');
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL - 1)}…` : text;
}

/** Audits a change made through the API, in the handler (a 204 has no payload for the audit hook to see). */
export async function auditBy(
  store: Store,
  who: { name: string; role: string },
  e: { action: string; site: string | null; subject: string; detail?: string | null },
  now: number,
): Promise<void> {
  await new AuditLog(store).record({ at: now, actor: who.name, role: who.role, ...e });
}
