declare namespace Cloudflare {
  interface Env {
    DATABASE_URL: string;
    NEON_LOCAL_ENDPOINT: string;
    AUTH_ISSUER: string;
    AUTH_AUDIENCE: string;
    AUTH_JWKS: string;
    TEST_OWNER_DATABASE_URL: string;
    TEST_SIGNING_JWK: string;
    TEST_DATABASE_KIND: 'embedded' | 'server';
    /** On the server: JSON { address, counts } of tests/pg-round-trip-counter.ts; empty on the embedded database. */
    TEST_PG_ROUND_TRIP_COUNTER: string;
    TEST_JWKS_HOST: string;
    /** tests/oidc-providers.ts: Keycloak-, Entra-, Cognito- and Okta-shaped providers at their issuer paths. */
    TEST_OIDC_PROVIDERS: string;
    TEST_WEBHOOK_RECEIVER: string;
    /** A unit of this run whose clients vitest.config.ts allows 3 requests a minute each. */
    TEST_CLIENT_QUOTA_UNIT: string;
    /** Units of this run (comma-separated, one per attempt) allowed 4 requests a minute in all. */
    TEST_UNIT_QUOTA_UNITS: string;
    RATE_LIMITS: string;
    TOKEN_SIGNING_KEYS: string;
    TOKEN_ISSUER: string;
    ALLOW_LOOPBACK_JWKS: string;
    CLOCK_OVERRIDE: string;
    TEST_CLOCK_OFFSET_DAYS: string;
    /** `node-postgres` in the workers-pg project (vitest.config.ts). */
    TEST_TRANSPORT?: string;
  }
}
