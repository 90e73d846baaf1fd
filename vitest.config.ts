import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vitest/config';

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
  Object.values(testPolicies).map((policy, index) => [policy.binding, { namespace_id: String(9001 + index), simple: { limit: policy.quota, period: policy.window } }]),
);

const workers = (extraBindings: Record<string, string> = {}) =>
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
        TEST_PG_ROUND_TRIP_COUNTER: inject('pgRoundTripCounter'),
        TEST_JWKS_HOST: inject('jwksHost'),
        TEST_OIDC_PROVIDERS: inject('oidcProviders'),
        TEST_WEBHOOK_RECEIVER: inject('webhookReceiver'),
        TEST_CLIENT_QUOTA_UNIT: clientQuotaUnit,
        TEST_UNIT_QUOTA_UNITS: unitQuotaUnits.join(','),
        ...extraBindings,
      },
    },
  }));

/**
 * pg's CommonJS files require 'pg-protocol' and 'pg-cloudflare'; the Workers pool's module
 * fallback resolves those to pg-protocol's ESM build (which CommonJS cannot load) and to
 * pg-cloudflare's empty non-workerd stub. Point both at the CommonJS builds workerd can run
 * (brianc/node-postgres#3700). Only the workers-pg project loads pg inside workerd.
 */
const pgInWorkerd: Plugin = {
  name: 'pg-in-workerd',
  enforce: 'pre',
  resolveId(id) {
    if (id === 'pg-protocol') return fileURLToPath(new URL('./node_modules/pg-protocol/dist/index.js', import.meta.url));
    if (id === 'pg-cloudflare') return fileURLToPath(new URL('./node_modules/pg-cloudflare/dist/index.js', import.meta.url));
    return undefined;
  },
};

/** The tests that must hold for both transports: idempotency, error mapping, tenancy. */
const bothTransports = [
  'tests/http/idempotency.test.ts',
  'tests/http/errors.test.ts',
  'tests/http/limits-and-drivers.test.ts',
  'tests/http/database-failures.test.ts',
  'tests/tenancy/tenancy-matrix.test.ts',
  'tests/round-trips.test.ts',
];

export default defineConfig({
  plugins: [pgInWorkerd],
  test: {
    // The tests wait on the database more than they compute: two workers even on two cores.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // In Node with Node's own resolve conditions (a project's would be the Workers plugin's).
    globalSetup: ['./tests/global-setup.ts'],
    projects: [
      {
        plugins: [workers()],
        test: {
          name: 'workers',
          // Files share a worker's module graph instead of loading the app again each (about 3 s a
          // file): a test file may not leave state behind that another depends on.
          isolate: false,
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/**/*.node.test.ts', 'tests/faults/**'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      // The same tests through the node-postgres transport (the Node entry with DATABASE_DRIVER=pg),
      // straight to the server: only there, since PGlite serves every direct connection as its
      // superuser, which row-level security does not bind.
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              plugins: [workers({ TEST_TRANSPORT: 'node-postgres' })],
              test: {
                name: 'workers-pg',
                isolate: false,
                setupFiles: ['./tests/support/node-postgres-setup.ts'],
                include: bothTransports,
                testTimeout: 30_000,
                hookTimeout: 120_000,
              },
            },
          ]
        : []),
      {
        // What only the Node entry does (src/node.ts): no database, no workerd.
        test: { name: 'node', environment: 'node', include: ['tests/**/*.node.test.ts'], testTimeout: 30_000 },
      },
    ],
  },
});
