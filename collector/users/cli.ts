import { randomBytes } from 'node:crypto';
import { Command, Option } from 'commander';
import { XunjianError } from '../../schemas/index.js';
import { loadCollectorConfig, type CollectorFlags } from '../config.js';
import { dbPathOf } from '../server.js';
import { openDatabase } from '../storage/db.js';
import { MIN_PASSWORD_LENGTH, hashPassword } from './password.js';
import { USER_ROLES, UsersRepository, type UserRole } from './repository.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

interface CreateFlags extends CollectorFlags {
  name: string;
  role: UserRole;
  site?: string[];
  passwordStdin?: boolean;
}

/** Validates and creates a user; returns the generated password when none was given. */
export async function createUser(dbPath: string, flags: { name: string; role: UserRole; sites: string[]; password?: string }): Promise<{ generated?: string }> {
  if (flags.role === 'customer' && flags.sites.length === 0) {
    throw new XunjianError('USAGE', 'a customer must be given at least one --site (customers see their own sites only)');
  }
  if (flags.role === 'admin' && flags.sites.length > 0) throw new XunjianError('USAGE', 'an admin sees every site: drop --site');
  const generated = flags.password === undefined ? randomBytes(12).toString('base64url') : undefined;
  const password = flags.password ?? generated!;
  if (password.length < MIN_PASSWORD_LENGTH) throw new XunjianError('USAGE', `the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const db = openDatabase(dbPath);
  try {
    const users = new UsersRepository(db);
    if (users.get(flags.name)) throw new XunjianError('USAGE', `user ${flags.name} already exists`);
    users.create({ name: flags.name, role: flags.role, passwordHash: await hashPassword(password), sites: flags.sites });
  } finally {
    db.close();
  }
  return generated ? { generated } : {};
}

/** `xunjian collector user create|list`: the dashboard's people (tokens are for machines). */
export function registerUserCommands(program: Command): void {
  const collector = program.commands.find((c) => c.name() === 'collector') ?? program.command('collector').description('the collector');
  const user = collector.command('user').description('dashboard users: admin, engineer, customer');
  const storage = (cmd: Command) =>
    cmd
      .option('-c, --config <file>', 'configuration file (YAML or JSON) [env XUNJIAN_CONFIG]')
      .option('--data-dir <dir>', 'data directory (default ./data) [env XUNJIAN_DATA_DIR]')
      .option('--db <file>', 'database file (default <data-dir>/xunjian.db) [env XUNJIAN_DB]');

  storage(
    user
      .command('create')
      .description('create a user; the password is read from stdin with --password-stdin, else generated and printed once')
      .requiredOption('--name <name>', 'log-in name')
      .addOption(new Option('--role <role>', 'role').choices([...USER_ROLES]).makeOptionMandatory())
      .option('--site <site>', 'a site the user may see (repeatable; required for customers)', (v: string, prev: string[] = []) => [...prev, v])
      .option('--password-stdin', 'read the password from standard input'),
  ).action(async (flags: CreateFlags) => {
    const password = flags.passwordStdin ? await readStdin() : undefined;
    const dbPath = dbPathOf(loadCollectorConfig(flags));
    const { generated } = await createUser(dbPath, { name: flags.name, role: flags.role, sites: flags.site ?? [], ...(password !== undefined ? { password } : {}) });
    process.stdout.write(`user ${flags.name} (${flags.role}${flags.site?.length ? `, sites ${flags.site.join(', ')}` : ''}) created\n`);
    if (generated) process.stdout.write(`password: ${generated}\n(shown once; the collector keeps only its scrypt hash)\n`);
  });

  storage(user.command('list').description('list users, their roles and sites')).action((flags: CollectorFlags) => {
    const db = openDatabase(dbPathOf(loadCollectorConfig(flags)));
    try {
      for (const u of new UsersRepository(db).list()) {
        process.stdout.write(`${u.name}\t${u.role}\t${u.sites.join(',') || '*'}\t${u.disabledAt ? 'disabled' : 'active'}\n`);
      }
    } finally {
      db.close();
    }
  });
}
