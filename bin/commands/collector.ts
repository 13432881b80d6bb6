import { isPostgresUrl, openStore } from '../../collector/storage/open-store.js';
import { copyStorage } from '../../collector/storage/copy-storage.js';
import { migrateStore } from '../../collector/storage/migrate-store.js';
import { storageOf } from '../../collector/config.js';
import type { Store } from '../../collector/storage/store.js';
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
  auditCli,
  bindTokenAudited,
  changeDetail,
  createTokenAudited,
  revokeTokenAudited,
  createRepositories,
  iso,
  type CollectorFlags,
  type TokenRole,
} from '../../collector/index.js';
import { CredentialBox, parseCredentialKey, SnmpTargetsRepository } from '../../collector/poller/index.js';
import { parseWithDefaults, SnmpTargetInput, XunjianError } from '../../schemas/index.js';
import { runMain } from '../exit.js';
import { registerNotifyChannelCommands } from './notify-channels.js';

/** Options every collector subcommand shares: where the configuration and the database are. */
export function withStorageOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'configuration file (YAML or JSON) [env XUNJIAN_CONFIG]')
    .option('--data-dir <dir>', 'data directory (default ./data) [env XUNJIAN_DATA_DIR]')
    .option('--db <file>', 'database file (default <data-dir>/xunjian.db) [env XUNJIAN_DB]')
    .option('--database-url <url>', 'postgres://user:password@host/db — a PostgreSQL database several collectors share, instead of the file [env XUNJIAN_DATABASE_URL]');
}

function dbPath(flags: CollectorFlags): string {
  return dbPathOf(loadCollectorConfig(flags));
}

/** The collector's storage for a one-off command: the PostgreSQL database configured, or the existing SQLite file. */
export const openExistingStore = (flags: CollectorFlags): Promise<Store> => openStore(storageOf(loadCollectorConfig(flags)), { mustExist: true });

export function openExisting(flags: CollectorFlags) {
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
        process.stdout.write(`collector listening on ${running.url} (database ${config.storage?.url ? running.store.describe : dbPathOf(config)})\n`);
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
    .option('--device <hostname>', 'agent tokens: the one device it reports for (default: the first it reports for, audited)')
    .action((flags: CollectorFlags & { name: string; role: TokenRole; site?: string; device?: string }) =>
      runMain('collector token create', async () => {
        if (!flags.site && flags.role !== 'admin') throw new XunjianError('USAGE', `--site is required for a ${flags.role} token`);
        const store = await openStore(storageOf(loadCollectorConfig(flags)));
        try {
          const { token: secret, row } = await createTokenAudited(store, { name: flags.name, role: flags.role, site: flags.site ?? null, device: flags.device ?? null });
          const device = row.role === 'agent' ? `, device ${row.device ?? 'bound at its first report'}` : '';
          process.stderr.write(`token ${row.id} "${row.name}" (${row.role}, ${row.site ?? 'all sites'}${device}) — shown once, store it now:\n`);
          process.stdout.write(`${secret}\n`);
        } finally {
          await store.close();
        }
      }),
    );

  withStorageOptions(token.command('list').description('list tokens (never their secrets)'))
    .option('--json', 'print JSON')
    .action((flags: CollectorFlags & { json?: boolean }) =>
      runMain('collector token list', async () => {
        const store = await openExistingStore(flags);
        try {
          const rows = await new TokensRepository(store).list();
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(rows.map((r) => ({ ...r, createdAt: iso(r.createdAt), lastUsedAt: iso(r.lastUsedAt), revokedAt: iso(r.revokedAt) })), null, 2)}\n`);
            return;
          }
          for (const r of rows) {
            const state = r.revokedAt ? `revoked ${iso(r.revokedAt)}` : `last used ${iso(r.lastUsedAt) ?? 'never'}`;
            const device = r.role === 'agent' ? r.device ?? '(unbound)' : '*';
            process.stdout.write(`${r.id}\t${r.role}\t${r.site ?? '*'}\t${device}\t${r.name}\t${state}\n`);
          }
        } finally {
          await store.close();
        }
      }),
    );

  withStorageOptions(token.command('revoke').description('revoke a token by id').argument('<id>', 'token id from `token list`'))
    .action((id: string, flags: CollectorFlags) =>
      runMain('collector token revoke', async () => {
        if (!/^\d+$/.test(id)) throw new XunjianError('USAGE', `token id must be a number, got "${id}"`);
        const store = await openExistingStore(flags);
        try {
          if (!(await revokeTokenAudited(store, Number(id)))) throw new XunjianError('USAGE', `no live token ${id}`);
          process.stdout.write(`token ${id} revoked\n`);
        } finally {
          await store.close();
        }
      }),
    );

  withStorageOptions(
    token
      .command('bind')
      .description('bind an agent token to a device (a renamed server); audited')
      .argument('<id>', 'token id from `token list`')
      .requiredOption('--device <hostname>', 'the device it reports for from now on'),
  ).action((id: string, flags: CollectorFlags & { device: string }) =>
    runMain('collector token bind', async () => {
      if (!/^\d+$/.test(id)) throw new XunjianError('USAGE', `token id must be a number, got "${id}"`);
      const store = await openExistingStore(flags);
      try {
        const row = await bindTokenAudited(store, Number(id), flags.device);
        process.stdout.write(`token ${row.id} "${row.name}" now reports for ${row.site}/${row.device}\n`);
      } finally {
        await store.close();
      }
    }),
  );

  const snmpCmd = collector.command('snmp').description('SNMP targets the collector polls (credentials sealed with snmp.credentialKey / XUNJIAN_SNMP_KEY)');
  const targetsOf = async (flags: CollectorFlags) => {
    const config = loadCollectorConfig(flags);
    const key = parseCredentialKey(config.snmp?.credentialKey);
    const store = await openExistingStore(flags);
    return { store, targets: new SnmpTargetsRepository(store, new CredentialBox(key)) };
  };
  type SnmpAddFlags = CollectorFlags & { site: string; host: string; port?: string; snmpVersion?: string; community?: string; user?: string; level?: string; authProtocol?: string; authKey?: string; privProtocol?: string; privKey?: string; interval?: string; timeout?: string; retries?: string; kind?: string; role?: string; name?: string };
  const int = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : v);

  withStorageOptions(snmpCmd.command('add').description('register a device to poll (the running collector picks it up within a second)'))
    .requiredOption('--site <site>', 'site name')
    .requiredOption('--host <host>', 'address or DNS name')
    .option('--port <port>', 'UDP port (161)')
    .addOption(new Option('--snmp-version <v>', 'SNMP version').choices(['1', '2c', '3']).default('2c'))
    .option('--community <c>', 'v1/v2c community (prefer XUNJIAN_SNMP_COMMUNITY: flags show in ps)')
    .option('--user <u>', 'v3 user')
    .option('--level <l>', 'v3 noAuthNoPriv|authNoPriv|authPriv')
    .option('--auth-protocol <p>', 'v3 md5|sha|sha224|sha256|sha384|sha512')
    .option('--auth-key <k>', 'v3 auth key (or XUNJIAN_SNMP_AUTH_KEY)')
    .option('--priv-protocol <p>', 'v3 des|aes|aes256b|aes256r')
    .option('--priv-key <k>', 'v3 priv key (or XUNJIAN_SNMP_PRIV_KEY)')
    .option('--interval <s>', 'seconds between polls (300)')
    .option('--timeout <ms>', 'per attempt (2000)')
    .option('--retries <n>', 'further attempts (1)')
    .option('--kind <kind>', 'switch, router, firewall, ups… (else from the profile)')
    .option('--role <role>', 'e.g. core (threshold levels, ticket priority)')
    .option('--name <name>', 'device name (else sysName)')
    .action((flags: SnmpAddFlags) =>
      runMain('collector snmp add', async () => {
        const raw: Record<string, unknown> = {
          host: flags.host,
          port: int(flags.port),
          version: flags.snmpVersion,
          community: flags.community ?? process.env.XUNJIAN_SNMP_COMMUNITY,
          user: flags.user,
          level: flags.level,
          authProtocol: flags.authProtocol,
          authKey: flags.authKey ?? process.env.XUNJIAN_SNMP_AUTH_KEY,
          privProtocol: flags.privProtocol,
          privKey: flags.privKey ?? process.env.XUNJIAN_SNMP_PRIV_KEY,
          intervalS: int(flags.interval),
          timeoutMs: int(flags.timeout),
          retries: int(flags.retries),
          kind: flags.kind,
          role: flags.role,
          name: flags.name,
        };
        for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
        const input = parseWithDefaults(SnmpTargetInput, raw, 'SNMP target');
        const { store, targets } = await targetsOf(flags);
        try {
          const now = Date.now();
          await createRepositories(store).sites.ensure(flags.site, now);
          const t = await targets.create(flags.site, input, null, now);
          await auditCli(store, { action: 'snmp-target.create', site: flags.site, subject: `snmp-target #${t.id}`, detail: changeDetail(input) }, now);
          process.stdout.write(`${t.id}\t${t.site}\t${t.host}:${t.port}\tv${t.version}\tevery ${t.intervalS} s\n`);
        } finally {
          await store.close();
        }
      }),
    );

  withStorageOptions(snmpCmd.command('list').description('SNMP targets with their last poll (never their secrets)'))
    .option('--site <site>', 'only this site')
    .option('--json', 'print JSON')
    .action((flags: CollectorFlags & { site?: string; json?: boolean }) =>
      runMain('collector snmp list', async () => {
        const { store, targets } = await targetsOf(flags);
        try {
          const sites = flags.site ? [flags.site] : [...new Set((await targets.all()).map((t) => t.site))];
          const rows = (await Promise.all(sites.map((s) => targets.list(s)))).flat();
          if (flags.json) {
            process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
            return;
          }
          for (const t of rows) {
            const last = t.lastPollAt ? `${t.lastResult} ${t.lastPollAt}${t.lastError ? ` (${t.lastError})` : ''}` : 'not polled yet';
            process.stdout.write(`${t.id}\t${t.site}\t${t.host}:${t.port}\tv${t.version}\t${t.hostname ?? t.name ?? '-'}\t${last}\n`);
          }
        } finally {
          await store.close();
        }
      }),
    );

  withStorageOptions(snmpCmd.command('remove').description('stop polling a target (its device and history stay)').argument('<id>', 'target id from `snmp list`'))
    .requiredOption('--site <site>', 'the target\'s site')
    .action((id: string, flags: CollectorFlags & { site: string }) =>
      runMain('collector snmp remove', async () => {
        if (!/^\d+$/.test(id)) throw new XunjianError('USAGE', `target id must be a number, got "${id}"`);
        const { store, targets } = await targetsOf(flags);
        try {
          await targets.remove(flags.site, Number(id));
          await auditCli(store, { action: 'snmp-target.delete', site: flags.site, subject: `snmp-target #${id}` });
          process.stdout.write(`SNMP target ${id} removed\n`);
        } finally {
          await store.close();
        }
      }),
    );

  const notifyCmd = collector.command('notify').description('notifications: channels (e-mail, webhook, WeCom/DingTalk/Feishu robots)');
  registerNotifyChannelCommands(notifyCmd, withStorageOptions, openExistingStore);

  withStorageOptions(collector.command('backup').description('consistent online backup of the database, safe while the collector runs').argument('<file>', 'backup file to write'))
    .action((file: string, flags: CollectorFlags) =>
      runMain('collector backup', async () => {
        if (loadCollectorConfig(flags).storage?.url) {
          throw new XunjianError('USAGE', 'the data is in PostgreSQL: back it up with pg_dump (pg_dump --format=custom --file=xunjian.dump "$XUNJIAN_DATABASE_URL"; README "Several collectors on PostgreSQL")');
        }
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

  withStorageOptions(collector.command('migrate-storage').description('copy the SQLite database into PostgreSQL (stop the collector first; idempotent, resumable, counts checked)'))
    .requiredOption('--to <url>', 'postgres://user:password@host/db — migrated first, then filled')
    .action((flags: CollectorFlags & { to: string }) =>
      runMain('collector migrate-storage', async () => {
        if (!isPostgresUrl(flags.to)) throw new XunjianError('USAGE', '--to must be a postgres:// URL');
        const db = openExisting(flags);
        const target = await openStore(flags.to, { migrate: false });
        try {
          const tables = await copyStorage(db, target, (t) => process.stdout.write(`${t.table}\t${t.source} rows\t${t.copied} copied\t${t.target} in PostgreSQL\n`));
          process.stdout.write(`copied ${tables.length} tables into ${target.describe}; every count matches\n`);
        } finally {
          await target.close();
          db.close();
        }
      }),
    );

  withStorageOptions(collector.command('migrate').description('apply pending database migrations and exit'))
    .action((flags: CollectorFlags) =>
      runMain('collector migrate', async () => {
        // On PostgreSQL under an advisory lock: collectors starting meanwhile wait, then find it done.
        const store = await openStore(storageOf(loadCollectorConfig(flags)), { migrate: false });
        try {
          const applied = await migrateStore(store);
          process.stdout.write(applied.length ? `applied migrations ${applied.join(', ')}\n` : 'database is up to date\n');
        } finally {
          await store.close();
        }
      }),
    );
}
