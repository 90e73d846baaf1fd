import { defineConfig } from 'vitest/config';

/**
 * npm run test:client: the typed client of clients/typescript, in Node. Its own tests (against
 * loopback stand-ins that answer 429, 503 and short-lived tokens) and a full case through it
 * against the running app (the Node entry on an embedded database of its own). Not part of
 * `npm test`; .ci/run runs it.
 */
export default defineConfig({
  test: {
    name: 'client',
    environment: 'node',
    include: ['clients/typescript/test/**/*.test.ts', 'tests/client/**/*.client.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
