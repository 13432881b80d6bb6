import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{agent,bin,checks,collector,schemas,test}/**/*.test.ts'],
    // Integration tests start real servers (snmpsimd, sshd, the collector): give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['test/helpers/setup.ts'],
    // The commands the tests start as child processes, compiled once (test/helpers/compile-entries.ts).
    globalSetup: ['test/helpers/compile-entries.ts', 'test/helpers/postgres-sweep.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // One module graph per worker process, not one per file: every file used to import its whole
    // graph again (210 s of the SQLite pass's worker time, 26 s without). Files still get their own
    // servers and databases; a test that changes process-wide state (umask, fake timers) restores it.
    isolate: false,
  },
});
