import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The station app, built into assets/app/ (git-ignored): Workers serves it as static assets at
 * /app (wrangler.toml [assets]), the Node entry from disk. Everything is bundled: no CDN.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../assets/app/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2020',
    sourcemap: true,
    reportCompressedSize: false,
  },
});
