import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
import { defineConfig } from 'vitest/config';

/**
 * Quotas in tests: roomy by default, so the suite (many requests per unit and per caller) never
 * trips them; small ones only for two units of this run's own, named here and created by
 * tests/http/quotas.test.ts. Each policy's binding gets the policy's numbers, as wrangler.toml
 * does for the deployed ones.
 */
const runTag = crypto.randomUUID().replace(/-/g, '').slice(0, 8).toUpperCase();
const clientQuotaUnit = `RLC${runTag}`;
// One per attempt: a test whose requests straddle the turn of a minute runs again in a unit the turn left untouched.
const unitQuotaUnits = [1, 2, 3].map((attempt) => `RLU${runTag}A${attempt}`);
const testPolicies = {
  roomy: { quota: 1_000_000, window: 60, binding: 'RATE_LIMIT_TEST_ROOMY' },
  'client-small': { quota: 3, window: 60, binding: 'RATE_LIMIT_TEST_CLIENT_SMALL' },
  'unit-small': { quota: 4, window: 60, binding: 'RATE_LIMIT_TEST_UNIT_SMALL' },
} as const;
const testRateLimits = {
  policies: testPolicies,
  client: 'roomy',
  unit: 'roomy',
  units: { [clientQuotaUnit]: { client: 'client-small' }, ...Object.fromEntries(unitQuotaUnits.map((code) => [code, { unit: 'unit-small' }])) },
  tokenFailures: { perClient: 5, perAddress: 8, windowSeconds: 600, lockSeconds: 900 },
};
const ratelimits = Object.fromEntries(
  Object.values(testPolicies).map((policy) => [policy.binding, { simple: { limit: policy.quota, period: policy.window } }]),
);

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: {
              ratelimits,
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
                RATE_LIMITS: JSON.stringify(testRateLimits),
                // Test-only bindings: fixtures create tenants as the owner and sign tokens.
                TEST_OWNER_DATABASE_URL: inject('ownerDatabaseUrl'),
                TEST_SIGNING_JWK: inject('signingJwk'),
                TEST_DATABASE_KIND: inject('databaseKind'),
                TEST_JWKS_HOST: inject('jwksHost'),
                TEST_CLIENT_QUOTA_UNIT: clientQuotaUnit,
                TEST_UNIT_QUOTA_UNITS: unitQuotaUnits.join(','),
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
