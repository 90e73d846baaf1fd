import { z } from '@hono/zod-openapi';
import { tenancyCodePattern } from '../tenancy/codes.js';

/**
 * Request quotas and the token endpoint's lockout, as one JSON setting (RATE_LIMITS). On Workers a
 * quota is enforced by a rate-limiting binding whose limit and period are fixed when the Worker is
 * deployed, so a policy here names its binding and restates the binding's numbers (for the
 * RateLimit-Policy header and the Node entry's in-memory limiter). A unit's limits are changed by
 * pointing the unit at another policy, never by a number per unit.
 */

const policyName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and hyphens');
const unitCode = z.string().regex(tenancyCodePattern, 'a unit code');

export const quotaPolicySchema = z.object({
  /** Requests allowed per window: the binding's `simple.limit`. */
  quota: z.number().int().positive(),
  /** Seconds: the binding's `simple.period`, which Workers allows to be 10 or 60 only. */
  window: z.union([z.literal(10), z.literal(60)]),
  /** The `[[ratelimits]]` binding that enforces this policy on Workers. */
  binding: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'a binding name'),
});

export type QuotaPolicy = z.infer<typeof quotaPolicySchema>;

const tokenFailuresSchema = z.object({
  /** Wrong credentials for one client_id within the window that lock it. */
  perClient: z.number().int().positive(),
  /** Wrong credentials (for any client_id) from one source address within the window that lock the address. */
  perAddress: z.number().int().positive(),
  windowSeconds: z.number().int().positive(),
  /** How long a lock lasts; counting starts over once it ends. */
  lockSeconds: z.number().int().positive(),
});

export type TokenFailureLimits = z.infer<typeof tokenFailuresSchema>;

/** What a deployment gets without RATE_LIMITS; wrangler.toml declares these bindings with the same numbers. */
export const defaultRateLimits = {
  policies: {
    client: { quota: 600, window: 60, binding: 'RATE_LIMIT_CLIENT' },
    'client-large': { quota: 3000, window: 60, binding: 'RATE_LIMIT_CLIENT_LARGE' },
    unit: { quota: 6000, window: 60, binding: 'RATE_LIMIT_UNIT' },
    'unit-large': { quota: 30000, window: 60, binding: 'RATE_LIMIT_UNIT_LARGE' },
  } as Record<string, QuotaPolicy>,
  client: 'client',
  unit: 'unit',
  units: {} as Record<string, { client?: string; unit?: string }>,
  tokenFailures: { perClient: 10, perAddress: 50, windowSeconds: 600, lockSeconds: 900 } as TokenFailureLimits,
};

export type RateLimitSettings = typeof defaultRateLimits;

const settingsSchema = z
  .object({
    /** Added to (or replacing by name) the default policies. */
    policies: z.record(policyName, quotaPolicySchema).default({}),
    /** The policy for each client (an integration client, or an officer) unless its unit says otherwise. */
    client: policyName.default(defaultRateLimits.client),
    /** The policy for each unit (all its clients together) unless the unit says otherwise. */
    unit: policyName.default(defaultRateLimits.unit),
    /** Per-unit overrides by unit code. */
    units: z.record(unitCode, z.object({ client: policyName.optional(), unit: policyName.optional() }).strict()).default({}),
    tokenFailures: tokenFailuresSchema.partial().default({}),
  })
  .strict()
  .transform(
    (settings): RateLimitSettings => ({
      policies: { ...defaultRateLimits.policies, ...settings.policies },
      client: settings.client,
      unit: settings.unit,
      units: settings.units,
      tokenFailures: { ...defaultRateLimits.tokenFailures, ...settings.tokenFailures },
    }),
  )
  .superRefine((settings, context) => {
    const named = [
      ['client', settings.client],
      ['unit', settings.unit],
      ...Object.entries(settings.units).flatMap(([code, override]) =>
        Object.entries(override).map(([kind, name]) => [`units.${code}.${kind}`, name] as const),
      ),
    ] as const;
    for (const [path, name] of named) {
      if (name !== undefined && !(name in settings.policies)) context.addIssue({ code: 'custom', path: path.split('.'), message: `no policy named ${name}` });
    }
  });

/** RATE_LIMITS as JSON text, e.g. {"units":{"MH":{"unit":"unit-large"}}}. */
export const rateLimitSettingsJson = z
  .string()
  .transform((text, context) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(settingsSchema);

/** Which partition a quota counts: one client, or one unit's clients together. */
export type QuotaKind = 'client' | 'unit';

export interface AppliedQuota {
  kind: QuotaKind;
  /** Whose requests it counts, e.g. `unit:MH`. */
  partition: string;
  policyName: string;
  policy: QuotaPolicy;
}

/** The caller a quota is counted for: a verified token's issuer and subject, and its unit if it has one. */
export interface QuotaCaller {
  issuer: string;
  subject: string;
  unitCode?: string;
}

/** The quotas a request counts against, client first: a caller without a unit (the platform administrator) has only its own. */
export function quotasFor(settings: RateLimitSettings, caller: QuotaCaller): AppliedQuota[] {
  const override = caller.unitCode ? settings.units[caller.unitCode] : undefined;
  const applied = (kind: QuotaKind, partition: string, policyName: string): AppliedQuota => ({
    kind,
    partition,
    policyName,
    policy: settings.policies[policyName]!,
  });
  const quotas = [applied('client', `client:${caller.issuer} ${caller.subject}`, override?.client ?? settings.client)];
  if (caller.unitCode) quotas.push(applied('unit', `unit:${caller.unitCode}`, override?.unit ?? settings.unit));
  return quotas;
}
