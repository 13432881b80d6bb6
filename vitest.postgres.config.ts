import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

/**
 * The collector suite again on PostgreSQL (`npm run test:postgres`, the last step of `npm test`):
 * every test whose collector comes from `startTestCollector` gets a fresh database on a throwaway
 * PostgreSQL 15 of its test worker (XUNJIAN_TEST_ENGINE=postgres, test/helpers/shared-postgres.ts)
 * — the same tests, a parameter.
 *
 * Left out, with the reason (test/collector/README.md says the same):
 * - tests about the SQLite file itself: at-rest (file bytes), crash (kill -9 and the file's
 *   recovery), group-commit and ingest-commit (SQLite's group commit and fsync), storage
 *   (the file's schema and rollups through its handle), tickets-migration (an old file migrated),
 *   cli (backup/integrity of the file), equipment-cli (its own file);
 * - tests whose collector is a child process started with a file (`spawnCollector`: tls, about
 *   HTTPS, not storage): the child reads no test engine; the two-collector tests in test/cluster start
 *   their own PostgreSQL and run in the first pass already;
 * - tests with no collector and no storage at all (services: the plugin list; the channels' wire
 *   formats: email, robots); the poller CLI (its own file);
 * - the accessibility sweep (a11y: axe-core on every page, and its width at 390 px; over a minute):
 *   it judges the markup, which is the same on both engines; every page it visits is also read on
 *   PostgreSQL by zh-everywhere and the page tests.
 * CLI commands and child collectors that take the storage from the test (`freshTestStorage`:
 * notify-crash, the channels' CLI) run here too.
 */
export default defineConfig({
  test: {
    ...base.test,
    include: [
      'test/collector/*.test.ts',
      'test/web/*.test.ts',
      'test/reports/*.test.ts',
      'test/poller/*.test.ts',
      'test/notify/**/*.test.ts',
    ],
    exclude: [
      ...configDefaults.exclude,
      'test/collector/at-rest.test.ts',
      'test/collector/crash.test.ts',
      'test/collector/group-commit.test.ts',
      'test/collector/ingest-commit.test.ts',
      'test/collector/storage.test.ts',
      'test/collector/tickets-migration.test.ts',
      'test/collector/cli.test.ts',
      'test/collector/equipment-cli.test.ts',
      'test/collector/tls.test.ts',
      'test/collector/services.test.ts',
      'test/notify/channels/email.test.ts',
      'test/notify/channels/robots.test.ts',
      'test/poller/cli.test.ts',
      'test/web/a11y.test.ts',
    ],
  },
});
