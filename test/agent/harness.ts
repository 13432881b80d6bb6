/**
 * Test harness for the agent: a real agent process (`agent run` through bin/xunjian-agent.ts, the entry the service runs), its
 * config in a temp dir, a loopback HTTP relay in front of the real collector (counts requests,
 * can refuse connections or hold an answer back), and read-only queries on the collector's DB.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { stringify } from 'yaml';
import { nodeEntry } from '../helpers/node-entry.js';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const AGENT_CLI = join(ROOT, 'bin/xunjian-agent.ts');

export function tempDir(prefix = 'xj-agent-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Polls `probe` until it returns a truthy value; the timeout is only a ceiling against hangs. */
export async function waitFor<T>(probe: () => T | Promise<T>, what: string, timeoutMs = 45_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    // An agent that died on its own fails the wait at once, with its log.
    for (const a of live) {
      if (!a.expectedExit && (a.child.exitCode !== null || a.child.signalCode !== null)) {
        throw new Error(`agent exited (${a.child.exitCode ?? a.child.signalCode}) while waiting for ${what}:\n${a.log()}`);
      }
    }
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

export interface AgentFiles {
  dir: string;
  configPath: string;
  spoolDir: string;
  stateDir: string;
  tokenFile: string;
}

export function writeAgentConfig(dir: string, collectorUrl: string, token: string, extra: Record<string, unknown> = {}): AgentFiles {
  const files = {
    dir,
    configPath: join(dir, 'agent.yaml'),
    spoolDir: join(dir, 'spool'),
    stateDir: join(dir, 'state'),
    tokenFile: join(dir, 'token'),
  };
  writeFileSync(files.tokenFile, `${token}\n`, { mode: 0o600 });
  const config = {
    collector: { url: collectorUrl, tokenFile: files.tokenFile, timeout: '5s' },
    site: 'lab',
    hostname: 'agent-test-host',
    cadence: '150ms',
    window: '150ms',
    sampleEvery: '50ms',
    heartbeat: '1s',
    // The cheap checks only: the test is about delivery, and SMART/IPMI/journal reads take time.
    checks: ['SXKR-001', 'SXKR-002'],
    spool: { dir: files.spoolDir, maxBytes: 64 * 1024 * 1024, maxAge: '1d' },
    stateDir: files.stateDir,
    retry: { initial: '100ms', max: '400ms' },
    ...extra,
  };
  writeFileSync(files.configPath, stringify(config));
  return files;
}

const live = new Set<AgentProcess>();

export interface AgentProcess {
  child: ChildProcess;
  expectedExit: boolean;
  /** kill -9, expected by the test. */
  kill9(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  log(): string;
  /** Report ids the agent committed to its spool (from its debug log). */
  spooled(): string[];
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs one `agent …` command (status, enroll, install…) of the real entry to completion. Not
 * spawnSync: the collector of a test runs in the test's own process, and a CLI that takes
 * seconds to start on a loaded machine would freeze it — the agent's requests then time out and
 * the test sees an "unreachable" collector it did not ask for.
 */
export function runAgentCli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeEntry(AGENT_CLI), 'agent', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/**
 * `agent run` as a child process. With `mountNamespaceOf` (a PrivateJournal's pid) it runs in
 * that journald's mount namespace, so its journalctl reads that journal.
 */
export function startAgentProcess(configPath: string, env: NodeJS.ProcessEnv = {}, mountNamespaceOf?: number): AgentProcess {
  const node = [process.execPath, ...nodeEntry(AGENT_CLI), 'agent', 'run', '--config', configPath];
  const [cmd, ...args] = mountNamespaceOf ? ['nsenter', '-t', String(mountNamespaceOf), '-m', `--wd=${ROOT}`, ...node] : node;
  const child = spawn(cmd!, args, {
    cwd: ROOT,
    env: { ...process.env, XUNJIAN_AGENT_LOG: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const agent: AgentProcess = {
    child,
    exited,
    expectedExit: false,
    log: () => log,
    spooled: () => [...log.matchAll(/report (\S+) spooled/g)].map((m) => m[1]!),
    kill9: () => agent.stop('SIGKILL'),
    async stop(signal = 'SIGTERM') {
      agent.expectedExit = true;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const r = await exited;
      live.delete(agent);
      return r;
    },
  };
  live.add(agent);
  return agent;
}

export type RelayMode = 'forward' | 'refuse' | 'hold';

/**
 * A loopback relay in front of the collector. `refuse` resets every connection (collector
 * unreachable); `hold` forwards a report, lets the collector store it, and keeps the answer back
 * (the agent is then "mid-send"); `forward` passes everything. Counts requests per path.
 */
export class Relay {
  mode: RelayMode = 'forward';
  readonly counts = new Map<string, number>();
  readonly answers: { path: string; status: number; body: string }[] = [];
  /** Report ids whose 2xx answer was held back. */
  readonly held: string[] = [];
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  url = '';

  constructor(private readonly target: () => string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s) => {
      if (this.mode === 'refuse') {
        s.destroy();
        return;
      }
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  count(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = req.url ?? '/';
    this.counts.set(path, this.count(path) + 1);
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const mode = this.mode;
    const target = new URL(path, this.target());
    const answer = await new Promise<{ status: number; headers: Record<string, string>; body: string }>((resolveAnswer, reject) => {
      const out = request(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
        let text = '';
        r.on('data', (d: Buffer) => (text += d.toString()));
        r.on('end', () => resolveAnswer({ status: r.statusCode ?? 0, headers: { 'content-type': String(r.headers['content-type'] ?? 'application/json') }, body: text }));
      });
      out.on('error', reject);
      out.end(body);
    }).catch(() => undefined);
    if (!answer) {
      res.socket?.destroy();
      return;
    }
    this.answers.push({ path, status: answer.status, body: answer.body });
    if (mode === 'hold' && path === '/api/v1/reports' && answer.status < 300) {
      this.held.push((JSON.parse(body.toString()) as { id: string }).id);
      return; // never answered: the agent is killed while it waits
    }
    res.writeHead(answer.status, answer.headers).end(answer.body);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
  }
}

/** Read-only queries on the collector's SQLite file (WAL: safe beside the running server). */
export function storedReports(dbPath: string): { reportId: string; measurementCount: number; rows: number; gaps: string }[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        `SELECT r.report_id AS reportId, r.measurement_count AS measurementCount, r.gaps AS gaps,
                (SELECT COUNT(*) FROM measurements m WHERE m.report_id = r.id) AS rows
           FROM reports r ORDER BY r.id`,
      )
      .all() as { reportId: string; measurementCount: number; rows: number; gaps: string }[];
  } finally {
    db.close();
  }
}

export function storedMeasurements(dbPath: string, metric: string): { reportId: string; value: unknown }[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT r.report_id AS reportId, m.value AS value FROM measurements m JOIN reports r ON r.id = m.report_id WHERE m.metric = ?')
      .all(metric) as { reportId: string; value: unknown }[];
  } finally {
    db.close();
  }
}

/**
 * A real systemd-journald of the test's own, in a private mount namespace: /run is a fresh tmpfs
 * (its sockets and the volatile journal) and /var/log/journal a temp dir, so the host's journal
 * and other tests are untouched. Entries are written with systemd-cat inside the namespace; an
 * agent started with `mountNamespaceOf: journal.pid` reads them with its ordinary journalctl.
 * Needs root, unshare and nsenter (util-linux) and systemd's journald (Debian: systemd).
 */
export interface PrivateJournal {
  pid: number;
  /** Logs one entry at priority `err` (3) through journald's stdout stream. */
  write(message: string): void;
  stop(): Promise<void>;
}

const JOURNALD = ['/lib/systemd/systemd-journald', '/usr/lib/systemd/systemd-journald'].find((p) => existsSync(p));

export async function startPrivateJournal(dir: string): Promise<PrivateJournal> {
  if (process.getuid?.() !== 0 || !JOURNALD) {
    throw new Error('the journal test needs root and systemd-journald (apt-get install systemd): a private mount namespace hosts a real journald');
  }
  const persistent = join(dir, 'journal');
  mkdirSync(persistent, { recursive: true });
  const script = [
    'set -e',
    'mount -t tmpfs tmpfs /run',
    existsSync('/var/log/journal') ? `mount --bind '${persistent}' /var/log/journal` : ':',
    `exec ${JOURNALD}`,
  ].join('\n');
  const child = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const pid = child.pid!;
  const inside = (...cmd: string[]) => spawnSync('nsenter', ['-t', String(pid), '-m', ...cmd], { encoding: 'utf8' });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`journald exited: ${stderr}`);
    if (inside('test', '-S', '/run/systemd/journal/stdout').status === 0) break;
    if (i > 200) throw new Error(`journald did not open its sockets: ${stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid,
    write(message) {
      const r = inside('systemd-cat', '-t', 'xj-test', '-p', 'err', 'echo', message);
      if (r.status !== 0) throw new Error(`systemd-cat failed: ${r.stderr}`);
    },
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
