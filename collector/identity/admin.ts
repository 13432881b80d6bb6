import { userInfo } from 'node:os';
import { isName, NAME_RULE, XunjianError } from '../../schemas/index.js';
import { TokensRepository, type TokenRole, type TokenRow } from '../repositories/index.js';
import type { Db } from '../storage/db.js';
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
export function auditCli(db: Db, e: { action: string; site: string | null; subject: string; detail?: string | null }, now = Date.now()): void {
  new AuditLog(db).record({ at: now, actor: cliActor(), role: 'admin', ...e });
}

function assertName(value: string | undefined | null, flag: string, max: number): void {
  if (value != null && !isName(value, max)) throw new XunjianError('USAGE', `${flag} must be ${NAME_RULE} (at most ${max} characters)`);
}

/** `token create`: names checked like the API's, the token bound when --device is given, audited. */
export function createTokenAudited(
  db: Db,
  input: { name: string; role: TokenRole; site: string | null; device?: string | null },
): { token: string; row: TokenRow } {
  assertName(input.site, '--site', 100);
  assertName(input.device, '--device', 255);
  if (input.device && input.role !== 'agent') throw new XunjianError('USAGE', '--device is for agent tokens: engineer and admin tokens report every device of their site');
  const created = new TokensRepository(db).create(input);
  const { row } = created;
  auditCli(db, { action: 'token.create', site: row.site, subject: `token #${row.id}`, detail: `${row.role} "${row.name}"${row.device ? ` for device ${row.device}` : ''}` });
  return created;
}

export function revokeTokenAudited(db: Db, id: number): boolean {
  const tokens = new TokensRepository(db);
  const row = tokens.get(id);
  if (!row || !tokens.revoke(id)) return false;
  auditCli(db, { action: 'token.revoke', site: row.site, subject: `token #${id}`, detail: `${row.role} "${row.name}"` });
  return true;
}

/** `token bind ID --device HOST`: the admin's re-binding of an agent token (a server renamed). */
export function bindTokenAudited(db: Db, id: number, device: string): TokenRow {
  assertName(device, '--device', 255);
  const tokens = new TokensRepository(db);
  const row = tokens.get(id);
  if (!row || row.revokedAt !== null) throw new XunjianError('USAGE', `no live token ${id}`);
  if (row.role !== 'agent') throw new XunjianError('USAGE', `token ${id} is a ${row.role} token: only agent tokens are bound to one device`);
  tokens.bind(id, device);
  auditCli(db, { action: 'token.bind', site: row.site, subject: `token #${id}`, detail: `${row.device ?? 'unbound'} → ${device} (by an admin)` });
  return tokens.get(id)!;
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
export function auditBy(
  db: Db,
  who: { name: string; role: string },
  e: { action: string; site: string | null; subject: string; detail?: string | null },
  now: number,
): void {
  new AuditLog(db).record({ at: now, actor: who.name, role: who.role, ...e });
}
