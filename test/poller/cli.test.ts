/** `xunjian collector snmp add|list|remove` through the real command code on a real database file. */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COLLECTOR_CLI, tempDir } from '../helpers/collector.js';
import { nodeEntry } from '../helpers/node-entry.js';

const dir = tempDir('xunjian-snmp-cli-');
const db = join(dir, 'xunjian.db');
const KEY = randomBytes(32).toString('base64');
const SECRET = 'cli-secret-community-42';

function cli(args: string[], env: Record<string, string> = {}) {
  const clean = { ...process.env };
  delete clean.XUNJIAN_SNMP_KEY;
  const r = spawnSync(process.execPath, [...nodeEntry(COLLECTOR_CLI), 'collector', ...args, '--db', db], {
    env: { ...clean, ...env },
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('collector snmp', () => {
  it('adds, lists and removes targets; the community is sealed and never printed', () => {
    expect(cli(['migrate']).code).toBe(0);
    const refused = cli(['snmp', 'add', '--site', 'hq', '--host', '10.1.1.2'], { XUNJIAN_SNMP_COMMUNITY: SECRET });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/XUNJIAN_SNMP_KEY/);

    const added = cli(['snmp', 'add', '--site', 'hq', '--host', '10.1.1.2', '--role', 'core', '--interval', '120'], { XUNJIAN_SNMP_KEY: KEY, XUNJIAN_SNMP_COMMUNITY: SECRET });
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toMatch(/^1\thq\t10\.1\.1\.2:161\tv2c\tevery 120 s/);

    const listed = cli(['snmp', 'list', '--json'], { XUNJIAN_SNMP_KEY: KEY });
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ id: 1, site: 'hq', host: '10.1.1.2', hasCommunity: true, role: 'core', intervalS: 120 })]);
    expect(listed.stdout).not.toContain(SECRET);
    expect(readFileSync(db).includes(Buffer.from(SECRET))).toBe(false);

    const bad = cli(['snmp', 'add', '--site', 'hq', '--host', '10.1.1.3', '--snmp-version', '3'], { XUNJIAN_SNMP_KEY: KEY });
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/user/);

    expect(cli(['snmp', 'remove', '1', '--site', 'hq'], { XUNJIAN_SNMP_KEY: KEY }).stdout).toMatch(/removed/);
    expect(JSON.parse(cli(['snmp', 'list', '--json']).stdout)).toEqual([]);
  });
});
