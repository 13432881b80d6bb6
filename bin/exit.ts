import { CommanderError } from 'commander';
import { isXunjianError } from '../schemas/index.js';

/** Exit codes shared by every command (README, "Exit codes"). */
export const EXIT = { normal: 0, abnormal: 1, usage: 2, unknown: 3, internal: 4, uploadFailed: 5 } as const;

const USAGE_CODES = new Set(['USAGE', 'VALIDATION', 'SITE_FILE', 'SITE_FILE_EXISTS', 'CONFIG']);

/** Runs a command's body; a known error becomes one clear line and its exit code, never a stack. */
export async function runMain(name: string, body: () => Promise<number | void>): Promise<void> {
  try {
    process.exitCode = (await body()) ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : EXIT.usage;
    } else if (isXunjianError(error)) {
      process.stderr.write(`${name}: ${error.message}\n`);
      process.exitCode = USAGE_CODES.has(error.code) ? EXIT.usage : error.code === 'UPLOAD' ? EXIT.uploadFailed : EXIT.unknown;
    } else {
      process.stderr.write(`${name}: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = EXIT.internal;
    }
  }
}
