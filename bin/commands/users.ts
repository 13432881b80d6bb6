import { storageOf } from '../../collector/config.js';
import { openStore } from '../../collector/storage/open-store.js';
import { Command, Option } from 'commander';
import {
  USER_ROLES,
  UsersRepository,
  createUser,
  loadCollectorConfig,
  type CollectorFlags,
  type UserRole,
} from '../../collector/index.js';

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

/** `xunjian collector user create|list`: the dashboard's people (tokens are for machines). */
export function registerUserCommands(program: Command): void {
  const collector = program.commands.find((c) => c.name() === 'collector') ?? program.command('collector').description('the collector');
  const user = collector.command('user').description('dashboard users: admin, engineer, customer');
  const storage = (cmd: Command) =>
    cmd
      .option('-c, --config <file>', 'configuration file (YAML or JSON) [env XUNJIAN_CONFIG]')
      .option('--data-dir <dir>', 'data directory (default ./data) [env XUNJIAN_DATA_DIR]')
      .option('--db <file>', 'database file (default <data-dir>/xunjian.db) [env XUNJIAN_DB]')
      .option('--database-url <url>', 'postgres://… instead of the file [env XUNJIAN_DATABASE_URL]');

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
    const { generated } = await createUser(storageOf(loadCollectorConfig(flags)), { name: flags.name, role: flags.role, sites: flags.site ?? [], ...(password !== undefined ? { password } : {}) });
    process.stdout.write(`user ${flags.name} (${flags.role}${flags.site?.length ? `, sites ${flags.site.join(', ')}` : ''}) created\n`);
    if (generated) process.stdout.write(`password: ${generated}\n(shown once; the collector keeps only its scrypt hash)\n`);
  });

  storage(user.command('list').description('list users, their roles and sites')).action(async (flags: CollectorFlags) => {
    const store = await openStore(storageOf(loadCollectorConfig(flags)), { mustExist: true });
    try {
      for (const u of await new UsersRepository(store).list()) {
        process.stdout.write(`${u.name}\t${u.role}\t${u.sites.join(',') || '*'}\t${u.disabledAt ? 'disabled' : 'active'}\n`);
      }
    } finally {
      await store.close();
    }
  });
}
