/** Runs in every test file (vitest.config.ts setupFiles): what a file's run leaves behind is ended with it. */
import { afterAll } from 'vitest';
import { dropFileDatabases } from './shared-postgres.js';

afterAll(() => dropFileDatabases());
