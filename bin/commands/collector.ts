import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import {
  backupDatabase,
  dbPathOf,
  integrityCheck,
  loadCollectorConfig,
  migrate,
  openDatabase,
  startCollector,
  TOKEN_ROLES,
  TokensRepository,
  iso,
  type CollectorFlags,
  type TokenRole,
} from '../../collector/index.js';
import { XunjianError } from '../../schemas/index.js';
import { runMain } from '../exit.js';

/** Options every collector subcommand shares: where the configuration and the database are. */
function withStorageOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'configuration file (YAML or JSON) [env XUNJIAN_CONFIG]')
    .option('--data-dir <dir>', 'data directory (default ./data) [env XUNJIAN_DATA_DIR]')
    .option('--db <file>', 'database file (default <data-dir>/xunjian.db) [env XUNJIAN_DB]');
}

function dbPath(flags: CollectorFlags): string {
  return dbPathOf(loadCollectorConfig(flags));
}

function openExisting(flags: CollectorFlags) {
  const path = dbPath(flags);
  if (!existsSync(path)) throw new XunjianError('USAGE', `no collector database at ${path} (start the collector once, or pass --db)`);
  return openDatabase(path);
}

/** `xunjian collector …`: serve, token create|list|revoke, backup, migrate. */
export function registerCollectorCommands(program: Command): void {
  const collector = program
    .command('collector')
    .description('the collector server: ingest, evaluation, equipment records (serve is the default)');

  withStorageOptions(collector.command('serve', { isDefault: true }).description('start the collector (HTTP API, /docs, /metrics)'))
    .option('--host <host>', 'listen address (default 127.0.0.1) [env XUNJIAN_HOST]')
    .option('-p, --port <port>', 'listen port, 0 for any free port (default 8470) [env XUNJIAN_PORT]')
    .addOption(new Option('--durability <mode>', 'full: fsync each acknowledged report; normal: crash-safe only [env XUNJIAN_DURABILITY]').choices(['full', 'normal']))
    .option('--body-limit <bytes>', 'largest request body (default 16 MiB) [env XUNJIAN_BODY_LIMIT]')
    .option('--tls-cert <file>', 'TLS certificate (PEM); with --tls-key serves HTTPS [env XUNJIAN_TLS_CERT]')
    .option('--tls-key <file>', 'TLS private key (PEM) [env XUNJIAN_TLS_KEY]')
    .option('--retention-days <days>', 'keep raw measurements this long, then hourly min/avg/max (default 90) [env XUNJIAN_RETENTION_DAYS]')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (default info) [env XUNJIAN_LOG_LEVEL]')
    .action((flags: CollectorFlags) =>
      runMain('collector', async () => {
        const config = loadCollectorConfig(flags);
        const running = await startCollector(config);
        // The one line a script (or the test helper) waits for.
        process.stdout.write(`collector listening on ${running.url} (database ${dbPathOf(config)})\n`);
        const stop = (signal: string) => {
          running.app.log.info({ signal }, 'shutting down');
          void running.close().then(() => process.exit(0));
        };
        process.once('SIGINT', () => stop('SIGINT'));
        process.once('SIGTERM', () => stop('SIGTERM'));
      }),
    );

  const token = collector.command('token').description('API tokens: only their hash is stored');

  withStorageOptions(token.command('create').description('create a token and print it once'))
    .requiredOption('--name <name>', 'who or what uses it, e.g. agent-db01 or "Zhang Wei"')
    .addOption(new Option('--role <role>', 'what it may do').choices(TOKEN_ROLES).default('agent'))
    .option('--site <site>', 'the site it is limited to (required except for admin)')
    .action((flags: CollectorFlags & { name: string; role: TokenRole; site?: string }) =>
      runMain('collector token create', async () => {
        if (!flags.site && flags.role !== 'admin') throw new XunjianError('USAGE', `--site is required for a ${flags.role} token`);
        const db = openDatabase(dbPath(flags));
        try {
          const { token: secret, row } = new TokensRepository(db).create({ name: flags.name, role: flags.role, site: flags.site ?? null });
          process.stderr.write(`token ${row.id} "${row.name}" (${row.role}, ${row.site ?? 'all sites'}) — shown once, store it now:\n`);
          process.stdout.write(`${secret}\n`);
        } finally {
          db.close();
        }
      }),
    );

  withStorageOptions(token.command('list').description('list tokens (never their secrets)'))
    .option('--json', 'print JSON')
    .action((flags: CollectorFlags & { json?: boolean }) =>
      runMain('collector token list', async () => {
        const db = openExisting(flags);
        try {
          const rows = new TokensRepository(db).list();
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(rows.map((r) => ({ ...r, createdAt: iso(r.createdAt), lastUsedAt: iso(r.lastUsedAt), revokedAt: iso(r.revokedAt) })), null, 2)}\n`);
            return;
          }
          for (const r of rows) {
            const state = r.revokedAt ? `revoked ${iso(r.revokedAt)}` : `last used ${iso(r.lastUsedAt) ?? 'never'}`;
            process.stdout.write(`${r.id}\t${r.role}\t${r.site ?? '*'}\t${r.name}\t${state}\n`);
          }
        } finally {
          db.close();
        }
      }),
    );

  withStorageOptions(token.command('revoke').description('revoke a token by id').argument('<id>', 'token id from `token list`'))
    .action((id: string, flags: CollectorFlags) =>
      runMain('collector token revoke', async () => {
        if (!/^\d+$/.test(id)) throw new XunjianError('USAGE', `token id must be a number, got "${id}"`);
        const db = openExisting(flags);
        try {
          if (!new TokensRepository(db).revoke(Number(id))) throw new XunjianError('USAGE', `no live token ${id}`);
          process.stdout.write(`token ${id} revoked\n`);
        } finally {
          db.close();
        }
      }),
    );

  withStorageOptions(collector.command('backup').description('consistent online backup of the database, safe while the collector runs').argument('<file>', 'backup file to write'))
    .action((file: string, flags: CollectorFlags) =>
      runMain('collector backup', async () => {
        const db = openExisting(flags);
        try {
          const { totalPages } = await backupDatabase(db, file);
          const copy = openDatabase(file, { migrate: false });
          const integrity = integrityCheck(copy);
          copy.close();
          if (integrity !== 'ok') throw new XunjianError('STORAGE', `backup ${file} failed its integrity check: ${integrity}`);
          process.stdout.write(`backup written to ${file} (${totalPages} pages, integrity ok)\n`);
        } finally {
          db.close();
        }
      }),
    );

  withStorageOptions(collector.command('migrate').description('apply pending database migrations and exit'))
    .action((flags: CollectorFlags) =>
      runMain('collector migrate', async () => {
        const db = openDatabase(dbPath(flags), { migrate: false });
        try {
          const applied = migrate(db);
          process.stdout.write(applied.length ? `applied migrations ${applied.join(', ')}\n` : 'database is up to date\n');
        } finally {
          db.close();
        }
      }),
    );
}
