/**
 * Starts a real SNMP agent — Debian's snmpsim (`snmpsimd`) — serving the `.snmprec` files of a data
 * directory on 127.0.0.1, one community per file (the file name without `.snmprec`). Used by the
 * SNMP tests and the poll benchmark; anyone may use it.
 *
 *   const sim = await startSnmpsim({ dataDir, probeCommunity: 'ios_2960x' });
 *   … target { host: sim.host, port: sim.port, version: '2c', community: 'ios_2960x' } …
 *   await sim.stop();
 *
 * snmpsimd refuses to run as root, so it drops to nobody:nogroup; the data, cache and log dirs are
 * made readable/writable for that user. Readiness is awaited with a real SNMP GET, never a sleep.
 * The port is taken from `ports` (default 11161–11199): the first one free, retrying the next if
 * snmpsimd cannot bind it (another test file may have taken it in between).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import snmp from 'net-snmp';
import type { SnmpTarget } from '../../checks/sources/snmp/index.js';

export interface Snmpsim {
  host: string;
  port: number;
  dataDir: string;
  process: ChildProcess;
  /** snmpsimd's own log (for a failing test's message). */
  log(): string;
  stop(): Promise<void>;
}

export interface SnmpsimOptions {
  dataDir: string;
  /** A community (file name without .snmprec) to GET sysDescr.0 from until it answers. */
  probeCommunity: string;
  ports?: number[];
  /** How long indexing the data may take before giving up; default 120 s. */
  readyTimeoutMs?: number;
}

/** A v2c target on the running snmpsimd for one of its communities (`extra` overrides timeouts etc.). */
export function simTarget(sim: Pick<Snmpsim, 'host' | 'port'>, community: string, extra: Partial<SnmpTarget> = {}): SnmpTarget {
  return { host: sim.host, port: sim.port, version: '2c', community, timeoutMs: 1000, retries: 1, ...extra };
}

export const TEST_PORTS = Array.from({ length: 39 }, (_, i) => 11161 + i);

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createSocket('udp4');
    s.once('error', () => {
      s.close();
      resolve(false);
    });
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function getOnce(port: number, community: string): Promise<boolean> {
  return new Promise((resolve) => {
    const session = snmp.createSession('127.0.0.1', community, { port, retries: 0, timeout: 300, version: snmp.Version2c });
    session.on('error', () => undefined);
    session.get(['1.3.6.1.2.1.1.1.0'], (error) => {
      session.close();
      resolve(!error);
    });
  });
}

/** Makes a world-readable temp dir (snmpsimd runs as nobody). */
export function makeDataDir(prefix = 'xunjian-snmprec-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o755);
  return dir;
}

/** Copies (or symlinks) recordings into `dir`, optionally under another community name. */
export function addRecording(dir: string, source: string, community = basename(source, '.snmprec'), how: 'copy' | 'symlink' = 'copy'): string {
  const dest = join(dir, `${community}.snmprec`);
  if (how === 'symlink') symlinkSync(source, dest);
  else {
    copyFileSync(source, dest);
    chmodSync(dest, 0o644);
  }
  return dest;
}

/**
 * Writes a copy of a recording with some values changed: `changes` maps an OID (no leading dot) to
 * its new `type|value` or just the value (the original type kept). Throws if an OID is not in the file,
 * so a variant can never silently test the unchanged device.
 */
export function writeVariant(dir: string, source: string, community: string, changes: Record<string, string>): string {
  const lines = readFileSync(source, 'utf8').split('\n');
  const pending = new Set(Object.keys(changes));
  const out = lines.map((line) => {
    const bar = line.indexOf('|');
    const oid = line.slice(0, bar).replace(/^\./, '');
    if (bar < 0 || !(oid in changes)) return line;
    pending.delete(oid);
    const change = changes[oid]!;
    const type = line.slice(bar + 1, line.indexOf('|', bar + 1));
    return change.includes('|') ? `${oid}|${change}` : `${oid}|${type}|${change}`;
  });
  if (pending.size) throw new Error(`writeVariant: ${[...pending].join(', ')} not found in ${source}`);
  const dest = join(dir, `${community}.snmprec`);
  writeFileSync(dest, out.join('\n'), { mode: 0o644 });
  return dest;
}

export async function startSnmpsim(opts: SnmpsimOptions): Promise<Snmpsim> {
  const work = mkdtempSync(join(tmpdir(), 'xunjian-snmpsim-'));
  chmodSync(work, 0o777);
  const cache = join(work, 'cache');
  mkdirSync(cache, { mode: 0o777 });
  chmodSync(cache, 0o777);
  const logFile = join(work, 'snmpsimd.log');
  const readLog = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  const candidates = [...(opts.ports ?? TEST_PORTS)].sort(() => Math.random() - 0.5);

  for (const port of candidates) {
    if (!(await portIsFree(port))) continue;
    const child = spawn(
      'snmpsimd',
      [
        `--data-dir=${opts.dataDir}`,
        `--cache-dir=${cache}`,
        `--agent-udpv4-endpoint=127.0.0.1:${port}`,
        '--v2c-arch',
        '--process-user=nobody',
        '--process-group=nogroup',
        `--logging-method=file:${logFile}`,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    // If the test process ends without stop() (a crash, a killed run), take snmpsimd with it.
    const reap = () => child.kill('SIGKILL');
    process.once('exit', reap);
    child.once('exit', () => process.off('exit', reap));
    let exited = false;
    child.once('exit', () => (exited = true));
    while (!exited && Date.now() < deadline) {
      if (await getOnce(port, opts.probeCommunity)) {
        return {
          host: '127.0.0.1',
          port,
          dataDir: opts.dataDir,
          process: child,
          log: readLog,
          stop: () => stopProcess(child).then(() => rmSync(work, { recursive: true, force: true })),
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!exited) {
      await stopProcess(child);
      rmSync(work, { recursive: true, force: true });
      throw new Error(`snmpsimd on port ${port} did not answer community ${opts.probeCommunity} in time\n${stderr}\n${readLog().slice(-2000)}`);
    }
    // Exited: most likely the port was taken after our check; try the next one.
  }
  rmSync(work, { recursive: true, force: true });
  throw new Error(`snmpsimd could not start on any of the ports ${opts.ports?.[0] ?? 11161}…`);
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
