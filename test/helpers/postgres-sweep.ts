/**
 * vitest globalSetup: the registry of the PostgreSQL servers the test workers start
 * (shared-postgres.ts), and their end. A worker is ended without its `exit` event, so it cannot
 * stop its own server; here, when the run ends, every server written down is stopped and its
 * directory removed.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { stopPostgresIn } from './postgres.js';

export default function setup(project: TestProject): () => void {
  const registry = mkdtempSync(join(tmpdir(), 'xunjian-pg-registry-'));
  project.provide('postgresRegistry', registry);
  return () => {
    // Every server is stopped even when one refuses: the first refusal is reported after the rest.
    let refusal: unknown;
    for (const entry of readdirSync(registry)) {
      try {
        stopPostgresIn(readFileSync(join(registry, entry), 'utf8'), true);
      } catch (error) {
        refusal ??= error;
      }
    }
    rmSync(registry, { recursive: true, force: true });
    if (refusal !== undefined) throw refusal;
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresRegistry: string;
  }
}
