import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              bindings: {
                DATABASE_URL: inject('appDatabaseUrl'),
                NEON_LOCAL_ENDPOINT: inject('neonEndpoint'),
                AUTH_ISSUER: 'https://idp.test.invalid/',
                AUTH_AUDIENCE: 'sextortion-sop-api',
                AUTH_JWKS: inject('publicJwks'),
                TOKEN_SIGNING_KEYS: inject('tokenSigningKeys'),
                TOKEN_ISSUER: 'urn:sextortion-sop-api:test',
                ALLOW_LOOPBACK_JWKS: 'true',
                CLOCK_OVERRIDE: 'allow',
                TEST_CLOCK_OFFSET_DAYS: process.env.TEST_CLOCK_OFFSET_DAYS ?? '0',
                CORS_ALLOWED_ORIGINS: 'https://station.example',
                // Test-only bindings: fixtures create tenants as the owner and sign tokens.
                TEST_OWNER_DATABASE_URL: inject('ownerDatabaseUrl'),
                TEST_SIGNING_JWK: inject('signingJwk'),
                TEST_DATABASE_KIND: inject('databaseKind'),
                TEST_JWKS_HOST: inject('jwksHost'),
              },
            },
          })),
        ],
        test: {
          name: 'workers',
          globalSetup: ['./tests/global-setup.ts'],
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.node.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // What only the Node entry does (src/node.ts): no database, no workerd.
        test: { name: 'node', environment: 'node', include: ['tests/**/*.node.test.ts'], testTimeout: 30_000 },
      },
    ],
  },
});
