import { storageOf } from '../../collector/config.js';
import { openStore, noSqliteHandle } from '../../collector/storage/open-store.js';
import { Command, Option } from 'commander';
import { createRepositories, deviceJson, loadCollectorConfig, type CollectorFlags } from '../../collector/index.js';
import { EquipmentActions } from '../../collector/equipment/index.js';
import { cliActor } from '../../collector/identity/index.js';
import { DEVICE_KINDS } from '../../schemas/index.js';
import { runMain } from '../exit.js';

interface RecordFlags extends CollectorFlags {
  site: string;
  name: string;
  kind?: string;
  vendor?: string;
  model?: string;
  serial?: string;
  firmware?: string;
  location?: string;
  warrantyUntil?: string;
  contractUntil?: string;
  role?: string;
  notes?: string;
}

const FIELDS = ['kind', 'vendor', 'model', 'serial', 'firmware', 'location', 'warrantyUntil', 'contractUntil', 'role', 'notes'] as const;

/** The record fields given on the command line ("" clears one on edit). */
const recordOf = (flags: RecordFlags) =>
  Object.fromEntries(FIELDS.filter((k) => flags[k] !== undefined).map((k) => [k, flags[k] === '' ? null : flags[k]]));

/** Runs an equipment action as the CLI's admin (the same validation and audit entry as the API). */
async function withActions<T>(flags: CollectorFlags, fn: (actions: EquipmentActions, actor: { name: string; role: 'admin'; sites: null; tokenId: null }) => T | Promise<T>): Promise<T> {
  const location = storageOf(loadCollectorConfig(flags));
  const store = await openStore(location);
  try {
    return await fn(new EquipmentActions({ db: noSqliteHandle(location), store, repos: createRepositories(store), clock: () => new Date() }), { name: cliActor(), role: 'admin', sites: null, tokenId: null });
  } finally {
    await store.close();
  }
}

/** `xunjian collector device add|edit|list`: the equipment record by hand. */
export function registerDeviceCommands(program: Command): void {
  const collector = program.commands.find((c) => c.name() === 'collector') ?? program.command('collector').description('the collector');
  const device = collector.command('device').description('the equipment record: devices put on record by hand (storage, tape, air conditioning, UPS without SNMP…)');
  const storage = (cmd: Command) =>
    cmd
      .option('-c, --config <file>', 'configuration file (YAML or JSON) [env XUNJIAN_CONFIG]')
      .option('--data-dir <dir>', 'data directory (default ./data) [env XUNJIAN_DATA_DIR]')
      .option('--db <file>', 'database file (default <data-dir>/xunjian.db) [env XUNJIAN_DB]')
      .option('--database-url <url>', 'postgres://… instead of the file [env XUNJIAN_DATABASE_URL]');
  const record = (cmd: Command) =>
    storage(cmd)
      .requiredOption('--site <site>', 'site name')
      .requiredOption('--name <hostname>', 'device name (its key within the site)')
      .option('--vendor <vendor>')
      .option('--model <model>')
      .option('--serial <serial>', '出厂编号 as on the device or the contract')
      .option('--firmware <version>')
      .option('--location <where>', 'e.g. "3F 机房 A-07"')
      .option('--warranty-until <YYYY-MM-DD>')
      .option('--contract-until <YYYY-MM-DD>')
      .option('--role <role>', 'e.g. core, backup (threshold levels, ticket priority)')
      .option('--notes <text>');

  record(device.command('add').description('put a device on record by hand (audited)'))
    .addOption(new Option('--kind <kind>', 'device kind').choices([...DEVICE_KINDS]).makeOptionMandatory())
    .action((flags: RecordFlags) =>
      runMain('collector device add', async () => {
        const d = await withActions(flags, (a, actor) => a.create(actor, flags.site, { hostname: flags.name, ...recordOf(flags) }));
        process.stdout.write(`${d.site}\t${d.hostname}\t${d.kind}\ton record by hand\n`);
      }),
    );

  record(device.command('edit').description('edit the record of a device ("" clears a field; a measured value is kept beside it)'))
    .addOption(new Option('--kind <kind>', 'device kind (only for a device put on record by hand)').choices([...DEVICE_KINDS]))
    .action((flags: RecordFlags) =>
      runMain('collector device edit', async () => {
        const d = await withActions(flags, (a, actor) => a.edit(actor, flags.site, flags.name, recordOf(flags)));
        const differs = deviceJson(d).differences;
        process.stdout.write(`${d.site}\t${d.hostname}\tsaved${differs.length ? `\t⚠ entered and measured differ: ${differs.join(', ')}` : ''}\n`);
      }),
    );

  storage(device.command('list').description("a site's equipment record").requiredOption('--site <site>', 'site name').option('--json', 'JSON lines')).action(
    (flags: CollectorFlags & { site: string; json?: boolean }) =>
      runMain('collector device list', async () => {
        await withActions(flags, async (a) => {
          for (const d of (await a.devicesOf(flags.site))) {
            const j = deviceJson(d);
            if (flags.json) process.stdout.write(`${JSON.stringify(j)}\n`);
            else
              process.stdout.write(
                `${d.hostname}\t${d.kind}\t${d.model ?? ''}\t${d.serial ?? ''}\t${d.firmware ?? ''}\t${d.location ?? ''}\t${d.monitored ? 'monitored' : 'not monitored'}${j.differences.length ? `\t⚠ ${j.differences.join(',')}` : ''}\n`,
              );
          }
        });
      }),
  );
}
