/** How the tests start the repository's commands as child processes. */
import { relative, resolve } from 'node:path';
import { inject } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The node arguments that run the TypeScript entry `entry` (an absolute path in the repository):
 * its compiled file from this run's globalSetup (test/helpers/compile-entries.ts), so that a
 * child does not compile its import graph again through tsx. Outside a vitest run (the benches in
 * bench/ start collectors with the same helpers) there is no compiled tree: tsx runs the source.
 */
export function nodeEntry(entry: string): string[] {
  const path = relative(ROOT, entry);
  if (path.startsWith('..') || !path.endsWith('.ts')) throw new Error(`not a TypeScript file of the repository: ${entry}`);
  if (!process.env.VITEST) return ['--import', 'tsx', entry];
  return [resolve(inject('compiledRoot'), path.replace(/\.ts$/, '.js'))];
}
