/**
 * `inspect --site`, `inspect init` and `inspect upload` as an engineer runs them: the real command
 * (a child process), real sshd servers on loopback (ports 2300–2301 belong to this file), and a real
 * collector on a SQLite file. Upload, resend (stored once), and an offline run uploaded later.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { exitCodeFor } from '../../checks/index.js';
import { parseSiteFile } from '../../checks/run/index.js';
import { SiteInspection, validate } from '../../schemas/index.js';
import { startTestCollector, type TestCollector } from '../helpers/collector.js';
import { closedPort, startSshdFleet, type SshdFleet } from '../helpers/sshd.js';
import { inspect } from './inspect-cli.js';

const SITE = 'fieldsite';

let fleet: SshdFleet;
let collector: TestCollector;
let token: string;
let dir: string;
let siteFile: string;

function savedInspection(path: string): SiteInspection {
  return validate(SiteInspection, JSON.parse(readFileSync(path, 'utf8')), path);
}

function uploadsStored(): number {
  const db = new Database(collector.dbPath, { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM inspection_uploads WHERE site = ?').get(SITE) as { n: number }).n;
  } finally {
    db.close();
  }
}

async function record(month: string) {
  const response = await collector.request('GET', `/api/v1/sites/${SITE}/inspections/${month}`, { token });
  expect(response.status).toBe(200);
  return (await response.json()) as { rows: { device: string; check: string; verdict: string; source?: string }[] };
}

beforeAll(async () => {
  [fleet, collector] = await Promise.all([startSshdFleet([2300, 2301]), startTestCollector()]);
  token = collector.token('engineer', SITE, 'field-engineer');
  dir = mkdtempSync(join(tmpdir(), 'xunjian-inspect-site-'));
  siteFile = join(dir, `${SITE}.yaml`);
  writeFileSync(
    siteFile,
    stringify({
      site: SITE,
      customer: '现场客户',
      contract_no: 'HT-2026-017',
      // Empty: the first run must be told to trust the servers' keys (--accept-new).
      ssh: { user: fleet.user, auth: { key_file: fleet.clientKeyPath }, known_hosts: join(dir, 'known_hosts'), timeout_s: 10 },
      servers: [
        { name: 'app01', host: '127.0.0.1', port: 2300 },
        { name: 'app02', host: '127.0.0.1', port: 2301 },
        { name: 'gone', host: '127.0.0.1', port: await closedPort() },
      ],
    }),
  );
  parseSiteFile(readFileSync(siteFile, 'utf8'), siteFile); // the file under test is itself valid
}, 60_000);

afterAll(async () => {
  await Promise.all([fleet?.stop(), collector?.stop()]);
});

describe('inspect init', () => {
  it('writes a commented example that loads, and refuses to overwrite it (exit 2)', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xunjian-init-'));
    const first = await inspect(cwd, ['init', 'hq.yaml']);
    expect(first.code).toBe(0);
    const text = readFileSync(join(cwd, 'hq.yaml'), 'utf8');
    expect(text).toMatch(/^#/m);
    expect(parseSiteFile(text, 'hq.yaml').site.site).toBeTruthy();
    const again = await inspect(cwd, ['init', 'hq.yaml']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  });
});

describe('inspect --site', () => {
  let firstJson: string;

  it('inspects every device with progress, prints the forms and the summary, saves and uploads', async () => {
    // --keep: the saved inspection stays after the upload (test/bin/field-data.test.ts: removed by default).
    const run = await inspect(dir, ['--site', SITE, '--accept-new', '--window', '1s', '--lang', 'en', '--collector', collector.url, '--token', token, '--keep']);
    // One progress line per device, the unreachable one with its reason.
    expect(run.stderr.match(/^\[\d\/3\] /gm)).toHaveLength(3);
    expect(run.stderr).toMatch(/^\[\d\/3\] \? gone .*(ECONNREFUSED|refused)/m);
    expect(run.stderr).toMatch(/uploaded site fieldsite: 3 reports stored, 0 already there; inspection \d{4}-\d\d: 3 new, 0 already stored/);
    expect(run.stdout).toContain('Device: app01');
    expect(run.stdout).toMatch(/Site: fieldsite \(现场客户\) · 3 devices/);

    const saved = readdirSync(join(dir, 'inspections'));
    expect(saved).toHaveLength(1);
    firstJson = join(dir, 'inspections', saved[0]!, 'inspection.json');
    const inspection = savedInspection(firstJson);
    expect(inspection.devices.map((d) => d.device.name)).toEqual(['app01', 'app02', 'gone']);
    expect(inspection.devices.find((d) => d.device.name === 'gone')!.failed).toBe(true);
    expect(inspection.devices.find((d) => d.device.name === 'app01')!.failed).toBe(false);
    expect(existsSync(join(dir, 'inspections', saved[0]!, 'report.zh.html'))).toBe(true);
    // The inventory's contract number is the inspection's and is printed beside the customer.
    expect(inspection.contractNo).toBe('HT-2026-017');
    expect(readFileSync(join(dir, 'inspections', saved[0]!, 'report.zh.html'), 'utf8')).toContain('<tr><td>合同编号</td><td>HT-2026-017</td></tr>');
    expect(run.code).toBe(exitCodeFor(inspection.devices.flatMap((d) => d.results.map((r) => r.verdict))));

    // The collector keeps the forms as the month's record and knows the devices.
    const month = new Date(inspection.devices[0]!.report.window.end).toISOString().slice(0, 7);
    const rows = (await record(month)).rows;
    expect(new Set(rows.map((r) => r.device))).toEqual(new Set(['app01', 'app02', 'gone']));
    expect(rows.filter((r) => r.device === 'gone').every((r) => r.verdict === 'unknown')).toBe(true);
    const devices = await collector.request('GET', `/api/v1/sites/${SITE}/devices`, { token });
    expect(JSON.stringify(await devices.json())).toContain('app02');
    expect(uploadsStored()).toBe(3);
  });

  it('a resend with inspect upload stores nothing twice', async () => {
    const before = uploadsStored();
    const run = await inspect(dir, ['upload', firstJson, '--collector', collector.url, '--lang', 'en', '--keep'], { XUNJIAN_TOKEN: token });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/0 reports stored, 3 already there; inspection \d{4}-\d\d: 0 new, 3 already stored/);
    expect(uploadsStored()).toBe(before);
  });

  it('several collectors: the upload moves past one that is down, and says why when none answers', async () => {
    const before = uploadsStored();
    const down = `http://127.0.0.1:${await closedPort()}`;
    const run = await inspect(dir, ['upload', firstJson, '--collector', `${down},${collector.url}`, '--lang', 'en', '--keep'], { XUNJIAN_TOKEN: token });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/0 reports stored, 3 already there/);
    expect(uploadsStored()).toBe(before);
    const other = `http://127.0.0.1:${await closedPort()}`;
    const none = await inspect(dir, ['upload', firstJson, '--collector', `${down}, ${other}`, '--lang', 'en', '--keep'], { XUNJIAN_TOKEN: token });
    expect(none.code).toBe(5);
    expect(none.stderr).toContain(`cannot reach ${down}`);
    expect(none.stderr).toContain(`cannot reach ${other}`);
  });

  it('--json prints the saved inspection format', async () => {
    const run = await inspect(dir, ['--site', siteFile, '--window', '1s', '--json', '--no-save', '--group', 'nonexistent']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('no group nonexistent');
    const ok = await inspect(dir, ['--site', siteFile, '--window', '1s', '--json', '--no-save', '--concurrency', '1']);
    const inspection = validate(SiteInspection, JSON.parse(ok.stdout), 'stdout');
    expect(inspection.concurrency).toBe(1);
    expect(inspection.summary.devices.normal + inspection.summary.devices.abnormal + inspection.summary.devices.unknown).toBe(3);
  });

  it('offline: the run is saved even under --no-save, exits 5, and uploads later', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'xunjian-offline-'));
    const offline = `http://127.0.0.1:${await closedPort()}`;
    const run = await inspect(cwd, ['--site', siteFile, '--window', '1s', '--no-save', '--collector', offline, '--lang', 'en'], { XUNJIAN_TOKEN: token });
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/upload failed: cannot reach http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
    const later = /inspect upload (\S+inspection\.json)/.exec(run.stderr)![1]!;
    expect(later.startsWith(cwd)).toBe(true);
    const ids = savedInspection(later).devices.map((d) => d.report.id);

    const before = uploadsStored();
    const upload = await inspect(cwd, ['upload', join(later, '..'), '--collector', collector.url, '--token', token, '--lang', 'en']);
    expect(upload.code).toBe(0);
    expect(upload.stderr).toMatch(/3 reports stored, 0 already there/);
    expect(uploadsStored()).toBe(before + 3);
    const db = new Database(collector.dbPath, { readonly: true });
    const stored = db.prepare(`SELECT report_id FROM inspection_uploads WHERE report_id IN (${ids.map(() => '?').join(',')})`).all(...ids);
    db.close();
    expect(stored).toHaveLength(3);
  });

  it('a refused token and a damaged file are clear errors that store nothing', async () => {
    const before = uploadsStored();
    const refused = await inspect(dir, ['upload', firstJson, '--collector', collector.url, '--token', 'not-a-token', '--lang', 'en']);
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/the collector refused the upload: 401/);

    const torn = join(dir, 'torn.json');
    const text = readFileSync(firstJson, 'utf8');
    writeFileSync(torn, text.slice(0, Math.floor(text.length / 2)));
    const damaged = await inspect(dir, ['upload', torn, '--collector', collector.url, '--token', token]);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toContain('is not JSON');

    const noCollector = await inspect(dir, ['upload', firstJson, '--token', token]);
    expect(noCollector.code).toBe(2);
    expect(noCollector.stderr).toContain('--collector');
    expect(uploadsStored()).toBe(before);
  });
});
