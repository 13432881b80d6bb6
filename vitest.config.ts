import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{agent,bin,checks,collector,schemas,test}/**/*.test.ts'],
    // Integration tests start real servers (snmpsimd, sshd, the collector): give them room.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    setupFiles: ['test/helpers/setup.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
