import { z } from '@hono/zod-openapi';
import { checkOutboundUrl, type OutboundPolicy } from './net/outbound-url.js';
import { defaultRateLimits, rateLimitSettingsJson } from './rate-limits/settings.js';

/** A public JSON Web Key Set, as JSON text: parsed here so a typo is a configuration error, not a 401 for everyone. */
const publicKeySetJson = z.string().refine((text) => {
  try {
    const parsed = JSON.parse(text) as { keys?: Array<Record<string, unknown>> };
    return Array.isArray(parsed.keys) && parsed.keys.length > 0 && parsed.keys.every((key) => typeof key.kty === 'string' && !('d' in key));
  } catch {
    return false;
  }
}, 'must be a JSON Web Key Set of public keys: {"keys":[...]}');

const privateKeySetJson = z.string().refine((text) => {
  try {
    const parsed = JSON.parse(text) as { keys?: Array<Record<string, unknown>> };
    return Array.isArray(parsed.keys) && parsed.keys.length > 0 && parsed.keys.every((key) => 'd' in key && typeof key.kid === 'string' && ['ES256', 'EdDSA'].includes(String(key.alg)));
  } catch {
    return false;
  }
}, 'must be a JSON Web Key Set of private ES256 or EdDSA keys, each with kid and alg');

/** Comma-separated TCP ports, e.g. `8443,9443`. */
const portList = z
  .string()
  .refine((text) => text.trim() === '' || text.split(',').every((entry) => /^\d{1,5}$/.test(entry.trim()) && Number(entry) >= 1 && Number(entry) <= 65535), 'must be comma-separated port numbers (1-65535), e.g. 8443,9443');

/** A bound in milliseconds, e.g. `5000`: bindings are text. */
const milliseconds = (fallback: number) => z.coerce.number().int().min(50).max(120_000).default(fallback);

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// connection string');

/** Bindings and secrets, checked at the edge of every request and scheduled run. */
export const envSchema = z
  .object({
    DATABASE_URL: postgresUrl,
    AUTH_ISSUER: z.string().min(1),
    AUTH_AUDIENCE: z.string().min(1),
    AUTH_JWKS: publicKeySetJson.optional(),
    /** Fetched like a unit's jwksUri: the outbound URL rules (src/net/outbound-url.ts) apply. */
    AUTH_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Private keys (a JSON Web Key Set, ES256 or EdDSA) that sign tokens for machine clients; the first signs. */
    TOKEN_SIGNING_KEYS: privateKeySetJson,
    /** The `iss` of tokens this API issues. */
    TOKEN_ISSUER: z.string().min(1).default('urn:sextortion-sop-api:oauth'),
    /** Development and tests only: allow key sets served on loopback (http or https, any port). */
    ALLOW_LOOPBACK_JWKS: z.enum(['true', 'false']).default('false'),
    /** Ports besides 443 that outbound https URLs (identity providers' key sets) may name; none by default. */
    OUTBOUND_ALLOWED_PORTS: portList.optional(),
    /** Where clients reach this API, e.g. `https://sop-api.example.gov.in`: the base of problem `type` URIs. Unset: each request's own origin. */
    PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Browser origins (comma-separated) of station frontends allowed to call the API; none by default. */
    CORS_ALLOWED_ORIGINS: z.string().optional(),
    /**
     * Tests and the replay benchmark only: `allow` lets a request set its clock with the
     * X-Clock-Override header. Never in production.
     */
    CLOCK_OVERRIDE: z.enum(['allow', 'deny']).default('deny'),
    /** Request quotas per client and per unit, per-unit overrides, and the token endpoint's lockout (JSON; see README). */
    RATE_LIMITS: rateLimitSettingsJson.default(defaultRateLimits),
    /**
     * How long a request's database work may take in all, from its first statement: reads (GET,
     * HEAD) and writes. Each transaction also sets it as its statement_timeout; past it, 503.
     */
    DATABASE_READ_TIMEOUT_MS: milliseconds(5_000),
    DATABASE_WRITE_TIMEOUT_MS: milliseconds(15_000),
    /** Development only: the loopback endpoint that stands in for Neon's edge. */
    NEON_LOCAL_ENDPOINT: z.url({ protocol: /^http$/, hostname: /^(127\.0\.0\.1|localhost)$/ }).optional(),
  })
  .refine((env) => env.AUTH_JWKS !== undefined || env.AUTH_JWKS_URL !== undefined, {
    path: ['AUTH_JWKS'],
    message: 'set AUTH_JWKS (an inline JSON Web Key Set) or AUTH_JWKS_URL',
  })
  .superRefine((env, context) => {
    if (env.AUTH_JWKS_URL === undefined) return;
    const checked = checkOutboundUrl(env.AUTH_JWKS_URL, outboundPolicy(env));
    if (!checked.ok) context.addIssue({ code: 'custom', path: ['AUTH_JWKS_URL'], message: checked.reason });
  });

export type AppConfig = z.infer<typeof envSchema>;

/** What this deployment lets the API fetch from URLs it is given. */
export function outboundPolicy(config: Pick<AppConfig, 'ALLOW_LOOPBACK_JWKS' | 'OUTBOUND_ALLOWED_PORTS'>): OutboundPolicy {
  return {
    allowLoopback: config.ALLOW_LOOPBACK_JWKS === 'true',
    allowedPorts: (config.OUTBOUND_ALLOWED_PORTS ?? '').split(',').filter((entry) => entry.trim() !== '').map(Number),
  };
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

/** A Worker's bindings object lives as long as its isolate: check it once, not on every request. */
const checked = new WeakMap<object, ConfigResult>();

export function parseConfig(bindings: unknown): ConfigResult {
  const key = typeof bindings === 'object' && bindings !== null ? bindings : undefined;
  const known = key && checked.get(key);
  if (known) return known;
  const result = checkConfig(bindings);
  if (key) checked.set(key, result);
  return result;
}

function checkConfig(bindings: unknown): ConfigResult {
  const result = envSchema.safeParse(bindings ?? {});
  if (result.success) return { ok: true, config: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
  };
}
