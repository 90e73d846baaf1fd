import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { copyViewer } from './docs-assets.js';

/**
 * The static assets (wrangler.toml [assets], git-ignored): the /docs viewer's files and the
 * station app built from web/ into assets/app/. Runs after npm install and before start, test and
 * deploy, so both are there without an extra step and neither depends on a CDN.
 */
export async function buildAssets(): Promise<void> {
  copyViewer();
  await build({ configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)) });
}

if (import.meta.url === `file://${process.argv[1]}`) await buildAssets();
