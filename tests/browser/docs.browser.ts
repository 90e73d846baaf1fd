import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeEntry, type NodeEntry } from '../support/node-entry.js';

/**
 * Issue #15: /docs opens on a network that reaches nothing but the API. The Node entry serves the
 * page on loopback; Debian's Chromium loads it with every request off loopback refused (and noted).
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const isLoopback = (url: string) => {
  const { protocol, hostname } = new URL(url);
  if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
};

let node: NodeEntry;
let base: string;
let userDataDir: string;
let browser: BrowserContext;

beforeAll(async () => {
  node = await startNodeEntry('docs-browser');
  ({ base } = node);
  userDataDir = mkdtempSync(join(os.tmpdir(), 'sop-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, { executablePath: chromiumPath, headless: true, args: chromiumArgs });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  await node?.close();
});

describe('/docs in headless Chromium with the network blocked', () => {
  it('lists the operations of openapi.yaml from the API’s own assets, with no console error and nothing fetched off loopback', async () => {
    const offLoopback: string[] = [];
    const consoleErrors: string[] = [];
    const failedRequests: string[] = [];
    await browser.route('**/*', (route) => {
      const url = route.request().url();
      if (isLoopback(url)) return route.continue();
      offLoopback.push(url);
      return route.abort('blockedbyclient');
    });
    const page = await browser.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));

    const response = await page.goto(`${base}/docs`, { waitUntil: 'networkidle' });
    expect(response?.status()).toBe(200);
    await page
      .locator('.opblock')
      .first()
      .waitFor({ timeout: 30_000 })
      .catch((error: Error) => {
        throw new Error(`no operation listed; requests off loopback: ${offLoopback.join(', ') || 'none'}; console errors: ${consoleErrors.join(' | ') || 'none'}`, { cause: error });
      });

    const summaries = page.locator('.opblock-summary-description');
    await expect.poll(() => summaries.count()).toBeGreaterThan(50);
    const listed = await summaries.allInnerTexts();
    expect(listed).toEqual(
      expect.arrayContaining([
        'Is the API able to serve safely?',
        "Exchange a machine client's credentials for an access token",
        'Register a machine client (a police IT system) for the unit',
        'Onboard a state cyber unit',
      ]),
    );
    const paths = await page.locator('.opblock-summary-path').allInnerTexts();
    expect(paths.map((path) => path.replace(/\u200b/g, ''))).toEqual(expect.arrayContaining(['/v1/cases', '/v1/oauth/token', '/health']));
    expect(await page.locator('.info .title').innerText()).toContain('Sextortion');

    expect(offLoopback, 'requests off loopback').toEqual([]);
    expect(failedRequests, 'failed requests').toEqual([]);
    expect(consoleErrors, 'console errors').toEqual([]);
  });
});
