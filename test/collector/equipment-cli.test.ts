import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, migrate } from '../../collector/index.js';
import { runCollectorCli, tempDir } from '../helpers/collector.js';

/** `xunjian collector device add|edit|list` as a real process on a real database: the same rules and audit as the API. */
describe('collector device CLI', () => {
  const dir = tempDir();
  const db = join(dir, 'xunjian.db');
  const setup = openDatabase(db);
  migrate(setup);
  setup.close();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('adds an air conditioner by hand, refuses bad names and dates (exit 2), edits and lists it', async () => {
    const added = await runCollectorCli(['device', 'add', '--db', db, '--site', 'acme', '--name', 'ac-1', '--kind', 'aircon', '--model', 'Liebert PEX', '--serial', 'LB-778', '--location', '3F 机房', '--warranty-until', '2027-06-30']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(added.stdout).toContain('ac-1\taircon');

    const badName = await runCollectorCli(['device', 'add', '--db', db, '--site', 'acme', '--name', 'a/b', '--kind', 'tape']);
    expect(badName.code).toBe(2);
    expect(badName.stderr).toMatch(/hostname/);
    const badDate = await runCollectorCli(['device', 'edit', '--db', db, '--site', 'acme', '--name', 'ac-1', '--contract-until', '31/12/2027']);
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toMatch(/contractUntil/);
    const again = await runCollectorCli(['device', 'add', '--db', db, '--site', 'acme', '--name', 'ac-1', '--kind', 'aircon']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already on record/);

    expect((await runCollectorCli(['device', 'edit', '--db', db, '--site', 'acme', '--name', 'ac-1', '--firmware', 'v2.3', '--location', ''])).code).toBe(0);
    const list = await runCollectorCli(['device', 'list', '--db', db, '--site', 'acme', '--json']);
    expect(list.code).toBe(0);
    const [d] = list.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(d).toMatchObject({ hostname: 'ac-1', kind: 'aircon', manual: true, monitored: false, serial: 'LB-778', firmware: 'v2.3', location: null, warrantyUntil: '2027-06-30' });

    const check = openDatabase(db);
    const audit = check.prepare("SELECT action, actor FROM audit_log WHERE subject = 'ac-1' ORDER BY id").all() as { action: string; actor: string }[];
    check.close();
    expect(audit.map((a) => a.action)).toEqual(['device.create', 'device.update']);
    expect(audit[0]!.actor).toMatch(/^cli/);
  });
});
