/**
 * A real PostgreSQL server for tests: Debian's PostgreSQL 15 (package postgresql), a fresh cluster
 * made by `initdb` in a temporary directory and started by `pg_ctl` on a loopback port with its
 * socket in that directory — never the machine's own cluster. PostgreSQL refuses to run as root,
 * so when the tests run as root the cluster belongs to the `postgres` user the package creates
 * (or `nobody`). Readiness is awaited with `pg_isready`, never a sleep; `stop()` stops the server
 * (`-m immediate` when asked to behave like a crash) and removes the directory.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface TestPostgres {
  /** `postgres://xunjian@127.0.0.1:PORT/xunjian` — a superuser of this throwaway cluster, no password (trust on loopback). */
  url: string;
  port: number;
  dataDir: string;
  /** The directory of the cluster: its data, socket and log (removed by stop). */
  dir: string;
  stop(options?: { immediate?: boolean }): void;
}

/** The directory holding initdb/pg_ctl/pg_isready, or null when PostgreSQL is not installed. */
export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', 'initdb'))) return join(root, v, 'bin');
  }
  return null;
}

/** Why PostgreSQL tests cannot run here, or null when they can — for `describe.skipIf` with a message. */
export function postgresMissing(): string | null {
  return postgresBinaries() ? null : 'PostgreSQL binaries not found under /usr/lib/postgresql (Debian package postgresql; .ci/system-packages.txt installs it)';
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The account the cluster runs as: ourselves, or when root the package's `postgres` user (else nobody). */
function clusterOwner(): { name: string; uid: number; gid: number } | null {
  if (userInfo().uid !== 0) return null;
  for (const name of ['postgres', 'nobody']) {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { name, uid: id('-u'), gid: id('-g') };
    } catch {
      // no such user: try the next
    }
  }
  throw new Error('running as root and neither a postgres nor a nobody user exists to own the test cluster');
}

/** Runs a PostgreSQL tool of `bin` in `dir`, as the cluster's owner when that is not us. */
function runTool(bin: string, dir: string, tool: string, args: string[]): string {
  const command = join(bin, tool);
  const owner = clusterOwner();
  const argv = owner ? ['-u', owner.name, '--', command, ...args] : args;
  return execFileSync(owner ? 'runuser' : command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
}

/** Stops the cluster in `dir` (as startPostgres made it) if it runs, and removes the directory. */
export function stopPostgresIn(dir: string, immediate = false): void {
  const bin = postgresBinaries();
  const dataDir = join(dir, 'data');
  try {
    if (bin && existsSync(join(dataDir, 'postmaster.pid'))) runTool(bin, dir, 'pg_ctl', ['-D', dataDir, '-m', immediate ? 'immediate' : 'fast', '-w', 'stop']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `settings`: extra server settings (`-c name=value`), e.g. `{ shared_preload_libraries: 'pg_stat_statements' }` for a bench. */
export async function startPostgres(settings: Record<string, string> = {}): Promise<TestPostgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error(postgresMissing()!);
  const owner = clusterOwner();
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-pg-'));
  chmodSync(dir, 0o700);
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const dataDir = join(dir, 'data');
  const run = (tool: string, args: string[]) => runTool(bin, dir, tool, args);
  run('initdb', ['-D', dataDir, '-U', 'xunjian', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  const port = await freePort();
  // fsync stays on: the durability the collector promises is measured on a real commit path.
  const extra = Object.entries(settings).map(([k, v]) => ` -c ${k}=${v}`).join('');
  const options = `-k ${dir} -p ${port} -c listen_addresses=127.0.0.1 -c max_connections=200${extra}`;
  run('pg_ctl', ['-D', dataDir, '-o', options, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start']);
  run('pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-t', '30']);
  run('createdb', ['-h', dir, '-p', String(port), '-U', 'xunjian', 'xunjian']);
  let stopped = false;
  return {
    url: `postgres://xunjian@127.0.0.1:${port}/xunjian`,
    port,
    dataDir,
    dir,
    stop(stopOptions = {}) {
      if (stopped) return;
      stopped = true;
      stopPostgresIn(dir, stopOptions.immediate);
    },
  };
}
