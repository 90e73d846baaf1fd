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
    TEST_JWKS_HOST: string;
    TOKEN_SIGNING_KEYS: string;
    TOKEN_ISSUER: string;
    ALLOW_LOOPBACK_JWKS: string;
    CLOCK_OVERRIDE: string;
    TEST_CLOCK_OFFSET_DAYS: string;
    /** `node-postgres` in the workers-pg project (vitest.config.ts). */
    TEST_TRANSPORT?: string;
  }
}
