/**
 * Test helpers for anything that talks to the collector: a real listening collector (in this
 * process, or as a child process through the real CLI) on a free port with a temporary SQLite
 * file, tokens, and realistic reports. Used by collector, tickets, agent and CLI tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';
import {
  hashToken,
  newToken,
  openDatabase,
  startCollector,
  type AppOptions,
  type RunningCollector,
  type TokenRole,
} from '../../collector/index.js';
import type { CollectorConfig, Measurement, Report } from '../../schemas/index.js';
import { openStore } from '../../collector/storage/open-store.js';
import type { Store } from '../../collector/storage/store.js';
import { freshPostgresDatabase } from './shared-postgres.js';
import { nodeEntry } from './node-entry.js';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const COLLECTOR_CLI = join(ROOT, 'test/collector/fixtures/cli.ts');

export function tempDir(prefix = 'xunjian-collector-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface TestCollector extends RunningCollector {
  dir: string;
  dbPath: string;
  /** Where its data lives: the SQLite file, or the PostgreSQL URL under XUNJIAN_TEST_ENGINE=postgres (for createUser and the like). */
  location: string;
  /** The configuration of another collector on the same data (a restart, a second collector). */
  sameStorage: Partial<CollectorConfig>;
  /** The CLI flags naming the same data (`--db FILE` or `--database-url URL`). */
  storageFlags: string[];
  /** Creates a token directly in the database and returns its secret; `device` binds an agent token. */
  token(role: TokenRole, site: string | null, name?: string, device?: string): string;
  /** The agent token of one device (made on first ask, bound to it): an agent token speaks for one device only. */
  agentFor(site: string, hostname: string): string;
  /** fetch against the collector with an optional bearer token and JSON body. */
  request(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<Response>;
  /** Stops the server and deletes its directory (unless keep). */
  stop(options?: { keep?: boolean }): Promise<void>;
}

function requester(baseUrl: () => string, ready: () => Promise<unknown> = () => Promise.resolve()) {
  return async (method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) => {
    await ready();
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    return fetch(`${baseUrl()}${path}`, { method, headers, body });
  };
}

export function createToken(dbPath: string, role: TokenRole, site: string | null, name = `${role}-${site ?? 'global'}`): string {
  const db = openDatabase(dbPath);
  try {
    return insertToken(db, { name, role, site });
  } finally {
    db.close();
  }
}

/**
 * A token written straight into a SQLite test database, synchronously — the tests call `c.token()`
 * inline everywhere; the collector itself creates tokens through TokensRepository (async Store).
 */
export function insertToken(db: Database.Database, input: { name: string; role: TokenRole; site: string | null; device?: string | null }, now = Date.now()): string {
  const token = newToken();
  const device = input.device ?? null;
  db.prepare('INSERT INTO tokens (name, role, site, device, bound_at, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    input.name, input.role, input.site, device, device === null ? null : now, hashToken(token), now,
  );
  return token;
}

/**
 * Syslog off for test collectors: the default port 514 is one port for the whole machine, so two
 * tests (or a real syslog daemon) would fight over it, and as root the bind would even succeed.
 * A test about syslog passes its own `syslog` with an ephemeral port (see `freeSyslogPort`).
 */
export const SYSLOG_OFF = { port: 0, host: '127.0.0.1', flushSeconds: 5, maxQueue: 10_000 } as const;

/** A port free for both TCP and UDP on 0.0.0.0 (the syslog receiver serves both on one port). */
export async function freeSyslogPort(): Promise<number> {
  for (;;) {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '0.0.0.0', () => resolve((server.address() as { port: number }).port)));
    const udp = createSocket('udp4');
    const ok = await new Promise<boolean>((resolve) => {
      udp.once('error', () => resolve(false));
      udp.bind(port, '0.0.0.0', () => resolve(true));
    });
    await new Promise<void>((r) => udp.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
    if (ok) return port;
  }
}

/**
 * Which engine test collectors run on: the SQLite file (default), or with
 * `XUNJIAN_TEST_ENGINE=postgres` a fresh database on one throwaway PostgreSQL server per test
 * process (test/helpers/postgres.ts) — the same tests, a parameter (`npm run test:postgres`).
 */
export const TEST_ENGINE = process.env.XUNJIAN_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * Fresh storage of the test engine with no collector running on it, for tests whose collector is
 * a child process or a CLI command: a SQLite file in `dir`, or with XUNJIAN_TEST_ENGINE=postgres a
 * fresh database on the file's throwaway PostgreSQL. `flags` point a CLI command at it; `open()`
 * reads it from the test (migrated).
 */
export interface TestStorage {
  /** The SQLite file's path (the file is made only on SQLite). */
  dbPath: string;
  /** The PostgreSQL URL, or the SQLite file's path. */
  location: string;
  storageFlags: string[];
  sameStorage: Partial<CollectorConfig>;
  open(): Promise<Store>;
}

export async function freshTestStorage(dir = tempDir()): Promise<TestStorage> {
  const dbPath = join(dir, 'xunjian.db');
  const url = TEST_ENGINE === 'postgres' ? await freshPostgresDatabase() : undefined;
  return {
    dbPath,
    location: url ?? dbPath,
    storageFlags: url ? ['--database-url', url] : ['--db', dbPath],
    sameStorage: url ? { storage: { url } } : { dbPath },
    open: () => openStore(url ?? dbPath),
  };
}

/** A token written through the store (either engine); returns the secret. */
export async function storeToken(store: Store, input: { name: string; role: TokenRole; site: string | null; device?: string | null }, now = Date.now()): Promise<string> {
  const token = newToken();
  await writeToken(store, token, input, now);
  return token;
}

function writeToken(store: Store, token: string, input: { name: string; role: TokenRole; site: string | null; device?: string | null }, now = Date.now()) {
  const device = input.device ?? null;
  return store.run('INSERT INTO tokens (name, role, site, device, bound_at, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)', [
    input.name, input.role, input.site, device, device === null ? null : now, hashToken(token), now,
  ]);
}

/** A collector listening on 127.0.0.1:<free port> in this process, on a fresh database (see TEST_ENGINE); syslog off unless `config.syslog` says otherwise. */
export async function startTestCollector(
  config: Partial<CollectorConfig> = {},
  extra: Omit<AppOptions, 'db' | 'config' | 'https'> = {},
  dir = tempDir(),
): Promise<TestCollector> {
  const dbPath = config.dbPath ?? join(dir, 'xunjian.db');
  const storage = TEST_ENGINE === 'postgres' && !config.dbPath && !config.storage ? { storage: { url: await freshPostgresDatabase() } } : {};
  const running = await startCollector(
    { listen: { host: '127.0.0.1', port: 0 }, dataDir: dir, dbPath, logLevel: 'silent', syslog: SYSLOG_OFF, ...storage, ...config },
    { logger: false, ...extra },
  );
  const onPostgres = running.store.engine === 'postgres';
  const url = storage.storage?.url ?? config.storage?.url;
  // Tokens are made synchronously (tests use them at once); on PostgreSQL the insert is awaited
  // before the next request this helper sends.
  const pending: Promise<unknown>[] = [];
  const makeToken = (input: { name: string; role: TokenRole; site: string | null; device: string | null }): string => {
    if (!onPostgres) return insertToken(running.db, input);
    const token = newToken();
    pending.push(writeToken(running.store, token, input));
    return token;
  };
  const agents = new Map<string, string>();
  return {
    ...running,
    dir,
    dbPath,
    location: url ?? dbPath,
    sameStorage: url ? { storage: { url } } : { dbPath },
    storageFlags: url ? ['--database-url', url] : ['--db', dbPath],
    token: (role, site, name, device) => makeToken({ name: name ?? `${role}-${site ?? 'global'}`, role, site, device: device ?? null }),
    agentFor: (site, hostname) => {
      const key = `${site}\u0000${hostname}`;
      let t = agents.get(key);
      if (!t) agents.set(key, (t = makeToken({ name: `agent-${hostname}`, role: 'agent', site, device: hostname })));
      return t;
    },
    request: requester(() => running.url, () => Promise.all(pending.splice(0))),
    async stop(options = {}) {
      await Promise.all(pending.splice(0));
      await running.close();
      if (!options.keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

let syslogOffConfig: string | undefined;

/**
 * The environment for a collector child process: syslog off through a configuration file
 * (XUNJIAN_CONFIG; the CLI has no syslog flag), unless the test brings its own configuration.
 */
function childEnv(args: string[], env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const merged = { ...process.env, ...env };
  if (merged.XUNJIAN_CONFIG || args.some((a) => a === '--config' || a === '-c' || a.startsWith('--config='))) return merged;
  if (!syslogOffConfig) {
    const dir = tempDir('xunjian-syslog-off-');
    syslogOffConfig = join(dir, 'collector.yaml');
    writeFileSync(syslogOffConfig, `# test collectors: no syslog receiver (port 514 is shared by the whole machine)\nsyslog:\n  port: 0\n`);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return { ...merged, XUNJIAN_CONFIG: syslogOffConfig };
}

export interface CollectorProcess {
  child: ChildProcess;
  url: string;
  dbPath: string;
  request: ReturnType<typeof requester>;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  /** SIGTERM (or the given signal) and wait for exit. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  stderr(): string;
}

/** `xunjian collector serve` as a real child process on a free port, syslog off; resolves once it listens. */
export async function spawnCollector(dbPath: string, args: string[] = [], env: NodeJS.ProcessEnv = {}, nodeArgs: string[] = []): Promise<CollectorProcess> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, ...nodeEntry(COLLECTOR_CLI), 'collector', 'serve', '--host', '127.0.0.1', '--port', '0', '--db', dbPath, '--log-level', 'warn', ...args],
    { cwd: ROOT, env: childEnv(args, env), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const url = await new Promise<string>((res, rej) => {
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /collector listening on (\S+)/.exec(stdout);
      if (m) res(m[1]!);
    });
    void exited.then((code) => rej(new Error(`collector exited (${code}) before listening: ${stderr}`)));
  });
  return {
    child,
    url,
    dbPath,
    request: requester(() => url),
    exited,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** Runs the real CLI (`xunjian collector …`) to completion. */
export function runCollectorCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, [...nodeEntry(COLLECTOR_CLI), 'collector', ...args], {
      cwd: ROOT,
      env: childEnv(args, env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => res({ code, stdout, stderr }));
  });
}

/** Polls `probe` every `everyMs` until it gives a value (tests wait for effects, never sleep a guessed time). */
export async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

let sequence = 0;

export interface ReportOptions {
  id?: string;
  site?: string;
  hostname?: string;
  /** Window end; measurements are stamped with it. */
  at?: Date;
  cpuAvg?: number;
  /** Make PSU 2 failed. */
  psuFault?: boolean;
  /** Leave SXKR-006 unmeasured with a gap. */
  logGap?: boolean;
}

/**
 * A realistic agent report of a Linux server: 60 measurements over the six checks, as the
 * local source emits them (CPU per core, memory, disks/RAID/NICs/services/file systems,
 * PSUs and fans from IPMI, temperatures with device limits, journald entries).
 */
export function realisticReport(options: ReportOptions = {}): Report {
  const end = options.at ?? new Date('2026-11-28T10:00:00.000Z');
  const at = end.toISOString();
  const start = new Date(end.getTime() - 5 * 60_000).toISOString();
  const host = options.hostname ?? 'db01';
  const m = (check: Measurement['check'], component: string, metric: string, value: Measurement['value'], command: string, extra: Partial<Measurement> = {}): Measurement => ({
    check, component, metric, value, command, at, ...extra,
  });
  const measurements: Measurement[] = [];
  const cpuAvg = options.cpuAvg ?? 23.5;
  measurements.push(m('SXKR-001', 'CPU', 'cpu.avg', cpuAvg, '/proc/stat', { unit: '%' }), m('SXKR-001', 'CPU', 'cpu.max', cpuAvg + 20, '/proc/stat', { unit: '%' }));
  for (let c = 0; c < 4; c++) {
    measurements.push(m('SXKR-001', `core ${c}`, 'cpu.avg', cpuAvg + c, '/proc/stat', { unit: '%' }), m('SXKR-001', `core ${c}`, 'cpu.max', cpuAvg + c + 15, '/proc/stat', { unit: '%' }));
  }
  measurements.push(m('SXKR-002', 'system', 'memory.used', 61.2, '/proc/meminfo', { unit: '%' }), m('SXKR-002', 'system', 'swap.used', 3.1, '/proc/meminfo', { unit: '%' }));
  for (const d of ['sda', 'sdb']) measurements.push(m('SXKR-003', `disk ${d}`, 'module.state', 'PASSED', `smartctl -H /dev/${d}`, { status: 'ok' }));
  measurements.push(m('SXKR-003', 'md0', 'module.state', 'active [UU]', '/proc/mdstat', { status: 'ok' }));
  for (const n of ['eth0', 'eth1']) measurements.push(m('SXKR-003', n, 'module.state', 'up', `/sys/class/net/${n}/operstate`, { status: 'ok' }));
  for (const s of ['sshd', 'crond', 'oracle']) measurements.push(m('SXKR-003', `service ${s}`, 'module.state', 'active', `systemctl is-active ${s}`, { status: 'ok' }));
  for (const [fs, used] of [['/', 41.0], ['/var', 57.5], ['/home', 12.0], ['/boot', 30.2]] as const) {
    measurements.push(m('SXKR-003', fs, 'fs.used', used, 'df -P', { unit: '%' }));
  }
  for (const p of [1, 2]) {
    const fault = options.psuFault && p === 2;
    measurements.push(m('SXKR-004', `PSU ${p}`, 'psu.state', fault ? 'Power Supply AC lost' : 'Presence detected', 'ipmitool sdr type "Power Supply"', { status: fault ? 'fault' : 'ok' }));
  }
  for (let f = 1; f <= 6; f++) measurements.push(m('SXKR-004', `Fan ${f}`, 'fan.state', `${5400 + f * 60} RPM`, 'ipmitool sdr type Fan', { status: 'ok' }));
  const temps: [string, string, number, number][] = [
    ['CPU1 Temp', 'cpu', 48, 95], ['CPU2 Temp', 'cpu', 51, 95], ['Inlet Temp', 'inlet', 23, 42], ['Exhaust Temp', 'outlet', 38, 70],
    ['Board Temp', 'board', 35, 80], ['disk sda', 'disk', 33, 60], ['disk sdb', 'disk', 34, 60], ['PSU1 Temp', 'psu', 40, 75],
  ];
  for (const [name, kind, value, high] of temps) {
    measurements.push(m('SXKR-005', name, 'temperature', value, 'ipmitool sdr type Temperature', { unit: '°C', kind, limits: { high, source: 'ipmitool sdr: upper critical' } }));
  }
  if (!options.logGap) {
    measurements.push(m('SXKR-006', 'journal', 'log.scanned', 1842, 'journalctl --since "-5min" -p warning -o json'));
    for (let i = 0; i < 19; i++) {
      measurements.push(m('SXKR-006', 'journal', 'log.entry', `kernel: perf: interrupt took too long (${2500 + i} > ${2490 + i}), lowering kernel.perf_event_max_sample_rate`, 'journalctl --since "-5min" -p warning -o json', { severity: 'warning' }));
    }
  }
  sequence++;
  return {
    id: options.id ?? `rpt-${process.pid}-${Date.now().toString(36)}-${sequence}`,
    source: 'agent',
    ...(options.site ? { site: options.site } : {}),
    window: { start, end: at },
    identity: { hostname: host, kind: 'server', vendor: 'HPE', model: 'ProLiant DL380 Gen10', serial: `CZ${host.toUpperCase()}01`, os: 'Rocky Linux 9.4', version: '5.14.0-427', addresses: ['10.1.2.3'] },
    measurements,
    gaps: options.logGap ? [{ check: 'SXKR-006', reason: 'journalctl: permission denied', command: 'journalctl' }] : [],
    producer: 'xunjian-agent/0.1.0',
  };
}
