import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The /docs viewer's files, copied from the installed, pinned swagger-ui-dist into
 * assets/docs/swagger-ui/ (git-ignored): Workers serves that folder as static assets
 * (wrangler.toml [assets]), the Node entry from disk. Runs after npm install and before
 * start, test and deploy, so the page never depends on a CDN.
 */
export const viewerFiles = ['swagger-ui-bundle.js', 'swagger-ui.css', 'LICENSE', 'NOTICE'];
export const viewerDir = fileURLToPath(new URL('../assets/docs/swagger-ui/', import.meta.url));

export function copyViewer(): string {
  const packageJson = createRequire(import.meta.url).resolve('swagger-ui-dist/package.json');
  const source = dirname(packageJson);
  mkdirSync(viewerDir, { recursive: true });
  for (const file of viewerFiles) copyFileSync(join(source, file), join(viewerDir, file));
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;
}

if (import.meta.url === `file://${process.argv[1]}`) copyViewer();
