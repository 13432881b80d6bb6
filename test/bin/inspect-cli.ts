/** The real `inspect` command as a child process, for the tests of test/bin. */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { nodeEntry } from '../helpers/node-entry.js';

const root = resolve(import.meta.dirname, '../..');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `inspect ARGS` run from `cwd` (where ./inspections goes). The collector URL, token and field key
 * of the environment running the tests are cleared, so only what a test passes in `env` applies.
 */
export function inspect(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [...nodeEntry(join(root, 'bin/inspect.ts')), ...args],
      { cwd, timeout: 120_000, env: { ...process.env, XUNJIAN_COLLECTOR_URL: '', XUNJIAN_TOKEN: '', XUNJIAN_FIELD_KEY: '', ...env } },
      (error, stdout, stderr) => done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}
