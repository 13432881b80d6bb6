/**
 * vitest globalSetup: the repository's TypeScript compiled once per run (esbuild, file by file, the
 * tree and its data files kept) into a temporary directory, for the tests that start the real
 * commands as child processes (`nodeEntry`, test/helpers/node-entry.ts). Through `--import tsx`
 * every child compiled and resolved its whole import graph again: ~5 s of CPU a start on a loaded
 * machine against ~2.5 s from the compiled files, and the suite starts some two hundred of them.
 * Compiled from the sources of this run, never from dist/ (which may be older than the sources).
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';

const ROOT = resolve(import.meta.dirname, '../..');
const TREES = ['agent', 'bin', 'checks', 'collector', 'schemas', 'test'];

export default async function setup(project: TestProject): Promise<() => void> {
  const out = mkdtempSync(join(tmpdir(), 'xunjian-compiled-'));
  const files = TREES.flatMap((tree) => filesUnder(tree));
  const sources = files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'));
  await build({
    entryPoints: sources.map((f) => join(ROOT, f)),
    outdir: out,
    outbase: ROOT,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    tsconfig: join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
  });
  // What the code reads beside itself (profiles, the dashboard's static files, test cases).
  for (const f of files.filter((f) => !f.endsWith('.ts'))) {
    mkdirSync(dirname(join(out, f)), { recursive: true });
    cpSync(join(ROOT, f), join(out, f));
  }
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(ROOT, 'node_modules'), join(out, 'node_modules'));
  project.provide('compiledRoot', out);
  return () => rmSync(out, { recursive: true, force: true });
}

/** The files under `dir` (relative to the repository), without node_modules. */
function filesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : filesUnder(path);
    return e.isFile() ? [path] : [];
  });
}

declare module 'vitest' {
  export interface ProvidedContext {
    compiledRoot: string;
  }
}
