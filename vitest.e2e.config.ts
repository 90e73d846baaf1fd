import { defineConfig } from 'vitest/config';

/**
 * npm run test:e2e: the real `npm start` (wrangler dev, miniflare's queue, the minute sweep it
 * drives) with a loopback webhook receiver, in Node. Minutes long, so not part of `npm test`;
 * .ci/run runs it last. Each file starts its own npm start on free ports and a database folder of
 * its own; one at a time, as they share the checkout's .dev.vars.
 */
export default defineConfig({
  test: {
    name: 'e2e',
    environment: 'node',
    include: ['tests/e2e/**/*.e2e.ts'],
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
