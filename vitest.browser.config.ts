import { defineConfig } from 'vitest/config';

/**
 * npm run test:browser: the running app (the Node entry on an embedded database of its own) seen
 * from Debian's Chromium, driven by playwright-core, in Node. Not part of `npm test` (it needs
 * /usr/bin/chromium); .ci/run installs Chromium when it is missing and runs it.
 */
export default defineConfig({
  test: {
    name: 'browser',
    environment: 'node',
    include: ['tests/browser/**/*.browser.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
