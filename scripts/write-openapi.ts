import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderOpenApiYaml } from '../src/openapi-document.js';

const target = fileURLToPath(new URL('../openapi.yaml', import.meta.url));
const rendered = renderOpenApiYaml();

if (process.argv.includes('--check')) {
  const committed = readFileSync(target, 'utf8');
  if (committed !== rendered) {
    console.error('openapi.yaml is stale: run `npm run openapi` and commit the result');
    process.exit(1);
  }
  console.log('openapi.yaml is current');
} else {
  writeFileSync(target, rendered);
  console.log(`wrote ${target}`);
}
