/**
 * Field data leaves no trace (service plan 3.4.5: the customer's addresses and configuration do not
 * leave the site): the real `inspect --site` and `inspect upload` against real sshd servers on
 * loopback (ports 2390–2391 belong to this file) and a real collector. With XUNJIAN_FIELD_KEY the
 * saved inspection is sealed (AES-256-GCM, scrypt key) and opens only with that key; once uploaded
 * it is removed unless --keep; the folder is 0700 and its files 0600; the printable reports meant
 * for the customer carry no address, not even in a reason or a command.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { closedPort, startSshdFleet, type SshdFleet } from '../helpers/sshd.js';
import { inspect } from './inspect-cli.js';

const SITE = 'bankfield';
const ADDRESS = '127.0.0.1';
const KEY = 'correct horse battery staple 巡检';

let fleet: SshdFleet;
let collector: TestCollector;
let token: string;
let siteFile: string;
const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);

/** The one folder a run left under cwd/inspections. */
function savedFolder(cwd: string): string {
  const saved = readdirSync(join(cwd, 'inspections'));
  expect(saved).toHaveLength(1);
  return join(cwd, 'inspections', saved[0]!);
}

beforeAll(async () => {
  [fleet, collector] = await Promise.all([startSshdFleet([2390, 2391]), startTestCollector()]);
  token = collector.token('engineer', SITE, 'field-laptop');
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-field-data-'));
  siteFile = join(dir, `${SITE}.yaml`);
  writeFileSync(
    siteFile,
    stringify({
      site: SITE,
      customer: '某银行',
      ssh: { user: fleet.user, auth: { key_file: fleet.clientKeyPath }, known_hosts: join(dir, 'known_hosts'), timeout_s: 10 },
      servers: [
        { name: 'core-db', host: ADDRESS, port: 2390 },
        { name: 'core-app', host: ADDRESS, port: 2391 },
        // Unreachable: its reason names the address (connect ECONNREFUSED 127.0.0.1:port).
        { name: 'gone', host: ADDRESS, port: await closedPort() },
      ],
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([fleet?.stop(), collector?.stop()]);
});

describe('what an inspection leaves on the laptop', () => {
  it('sealed under XUNJIAN_FIELD_KEY while offline: no clear copy, private modes, printable reports without addresses', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xunjian-sealed-'));
    const offline = `http://127.0.0.1:${await closedPort()}`;
    const run = await inspect(cwd, ['--site', siteFile, '--accept-new', '--window', '1s', '--lang', 'en', '--collector', offline], { XUNJIAN_TOKEN: token, XUNJIAN_FIELD_KEY: KEY });
    expect(run.code, run.stderr).toBe(5);
    const folder = savedFolder(cwd);
    expect(readdirSync(folder).sort()).toEqual(['inspection.json.enc', 'report.en.html', 'report.zh.html']);
    expect(run.stderr).toContain(`inspect upload ${join(folder, 'inspection.json.enc')}`);
    const sealed = readFileSync(join(folder, 'inspection.json.enc'), 'utf8');
    for (const secret of [ADDRESS, 'core-db', SITE, '某银行', 'uname']) expect(sealed).not.toContain(secret);
    expect(modeOf(folder)).toBe('700');
    for (const f of readdirSync(folder)) expect(`${f} ${modeOf(join(folder, f))}`).toBe(`${f} 600`);
    for (const lang of ['zh', 'en']) {
      const html = readFileSync(join(folder, `report.${lang}.html`), 'utf8');
      expect(html).toContain('core-db');
      expect(html).toContain('[hidden]');
      expect(html, `report.${lang}.html`).not.toContain(ADDRESS);
    }
  }, 300_000);

  it('inspect upload opens a sealed file only with its key, then removes it (the printable reports stay)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xunjian-sealed-upload-'));
    const offline = `http://127.0.0.1:${await closedPort()}`;
    expect((await inspect(cwd, ['--site', siteFile, '--window', '1s', '--collector', offline], { XUNJIAN_TOKEN: token, XUNJIAN_FIELD_KEY: KEY })).code).toBe(5);
    const folder = savedFolder(cwd);
    const args = ['upload', folder, '--collector', collector.url, '--lang', 'en'];
    const noKey = await inspect(cwd, args, { XUNJIAN_TOKEN: token });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain('is encrypted: set XUNJIAN_FIELD_KEY');
    const wrong = await inspect(cwd, args, { XUNJIAN_TOKEN: token, XUNJIAN_FIELD_KEY: 'not the key' });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('wrong XUNJIAN_FIELD_KEY');
    const ok = await inspect(cwd, args, { XUNJIAN_TOKEN: token, XUNJIAN_FIELD_KEY: KEY });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/3 reports stored, 0 already there/);
    expect(ok.stderr).toContain(`uploaded, removed: ${join(folder, 'inspection.json.enc')}`);
    expect(readdirSync(folder).sort()).toEqual(['report.en.html', 'report.zh.html']);
  }, 300_000);

  it('without a key: warned that it is in clear, removed after a successful upload, kept with --keep', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xunjian-clear-'));
    const run = await inspect(cwd, ['--site', siteFile, '--window', '1s', '--lang', 'en', '--collector', collector.url], { XUNJIAN_TOKEN: token });
    expect(run.stderr).toMatch(/inspection\.json holds the customer’s addresses and configuration in clear: set XUNJIAN_FIELD_KEY/);
    expect(run.stderr).toMatch(/uploaded site bankfield: \d reports stored/);
    const folder = savedFolder(cwd);
    expect(existsSync(join(folder, 'inspection.json'))).toBe(false);
    expect(readdirSync(folder).sort()).toEqual(['report.en.html', 'report.zh.html']);

    const keepCwd = mkdtempSync(join(tmpdir(), 'xunjian-keep-'));
    await inspect(keepCwd, ['--site', siteFile, '--window', '1s', '--collector', collector.url, '--keep'], { XUNJIAN_TOKEN: token });
    const kept = join(savedFolder(keepCwd), 'inspection.json');
    expect(JSON.parse(readFileSync(kept, 'utf8')).site).toBe(SITE);
    expect(modeOf(kept)).toBe('600');
  }, 300_000);
});
