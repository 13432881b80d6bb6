import { randomBytes } from 'node:crypto';
import { XunjianError } from '../../schemas/index.js';
import { auditCli } from '../identity/index.js';
import { openStore } from '../storage/open-store.js';
import { MIN_PASSWORD_LENGTH, hashPassword } from './password.js';
import { UsersRepository, type UserRole } from './repository.js';

/** Validates and creates a user in the database at `location` (a SQLite path or a postgres:// URL); returns the generated password when none was given. */
export async function createUser(location: string, flags: { name: string; role: UserRole; sites: string[]; password?: string }): Promise<{ generated?: string }> {
  if (flags.role === 'customer' && flags.sites.length === 0) {
    throw new XunjianError('USAGE', 'a customer must be given at least one --site (customers see their own sites only)');
  }
  if (flags.role === 'admin' && flags.sites.length > 0) throw new XunjianError('USAGE', 'an admin sees every site: drop --site');
  const generated = flags.password === undefined ? randomBytes(12).toString('base64url') : undefined;
  const password = flags.password ?? generated!;
  if (password.length < MIN_PASSWORD_LENGTH) throw new XunjianError('USAGE', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const store = await openStore(location);
  try {
    const users = new UsersRepository(store);
    if (await users.get(flags.name)) throw new XunjianError('USAGE', `user ${flags.name} already exists`);
    const passwordHash = await hashPassword(password);
    await store.transaction(async () => {
      await users.create({ name: flags.name, role: flags.role, passwordHash, sites: flags.sites });
      const detail = `${flags.role}${flags.sites.length ? `, sites ${flags.sites.join(', ')}` : ''}`;
      // One entry per site the user may see, so each site's audit page shows who was given access.
      for (const site of flags.sites.length ? flags.sites : [null]) await auditCli(store, { action: 'user.create', site, subject: `user ${flags.name}`, detail });
    });
  } finally {
    await store.close();
  }
  return generated ? { generated } : {};
}
