import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { copyViewer } from './docs-assets.js';
import { stationAppHeadersFile } from '../src/http/station-app-headers.js';

/**
 * The static assets (wrangler.toml [assets], git-ignored): the /docs viewer's files and the
 * station app built from web/ into assets/app/, with its headers in assets/_headers. Runs after npm install and before start, test and
 * deploy, so both are there without an extra step and neither depends on a CDN.
 */
export async function buildAssets(): Promise<void> {
  copyViewer();
  await build({ configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)) });
  // Under npm start (wrangler dev) the app also talks to the demo identity provider on loopback; anywhere else, to https ones only.
  writeFileSync(new URL('../assets/_headers', import.meta.url), stationAppHeadersFile(process.env.npm_lifecycle_event === 'prestart'));
}

if (import.meta.url === `file://${process.argv[1]}`) await buildAssets();
