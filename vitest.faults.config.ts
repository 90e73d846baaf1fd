import { defineConfig } from 'vitest/config';

/**
 * npm run test:faults: the API under faults (backends terminated mid-burst, a database that
 * stops answering), in Node, on a database of its own on the PostgreSQL server. Not part of
 * `npm test`; .ci/run runs it after the server pass. One file at a time: each brings up its own
 * API process and loads the two shared cores.
 */
export default defineConfig({
  test: {
    name: 'faults',
    environment: 'node',
    include: ['tests/faults/**/*.test.ts'],
    globalSetup: ['./tests/faults/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
