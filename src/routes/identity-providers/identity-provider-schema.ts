import { z } from '@hono/zod-openapi';
import { importJWK, type JWK } from 'jose';
import { algorithmsForKey, signingAlgorithms } from '../../auth/signing-algorithms.js';
import type { IdentityProviderRow } from '../../db/queries/identity-providers.js';
import { outboundPolicy, type AppConfig } from '../../env.js';
import { invalidField } from '../../http/problem.js';
import { checkOutboundUrl } from '../../net/outbound-url.js';
import { tenancyCode, timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { claimPathSchema, roleMapSchema } from './role-map-schema.js';

const claimName = claimPathSchema;

const publicJwks = z
  .object({
    keys: z
      .array(
        z
          .looseObject({ kty: z.enum(['RSA', 'EC', 'OKP']), kid: z.string().max(200).optional() })
          .refine((key) => !('d' in key), 'a public key only: never send a private key'),
      )
      .min(1)
      .max(50),
  })
  .openapi('JsonWebKeySet');

export const identityProviderFields = {
  issuer: z.string().min(1).max(500).openapi({ example: 'https://login.mahapolice.example/realms/officers' }),
  audience: z.string().min(1).max(500).openapi({ example: 'sextortion-sop-api' }),
  jwksUri: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .nullable()
    .optional()
    .openapi({
      description:
        'Where the provider publishes its keys: https to a public host name or address, on port 443 (or a port the operator allows), ' +
        'without a user name or password. Loopback, private, link-local and other special-use addresses, localhost and names under ' +
        '.localhost, .internal, .local or .home.arpa, and single-label names are refused. The key set must answer 200 within 3 s, ' +
        'without redirecting, in at most 64 KiB.',
    }),
  jwks: publicJwks.nullable().optional().openapi({ description: 'The provider\'s public keys inline, instead of jwksUri.' }),
  algorithms: z
    .array(z.enum(signingAlgorithms))
    .min(1)
    .max(signingAlgorithms.length)
    .openapi({ description: 'The only algorithms accepted from this issuer. Asymmetric only: HMAC (HS256, …) and none are never accepted.' }),
  rolesClaim: claimName.default('roles'),
  districtClaim: claimName.default('district'),
  stationClaim: claimName.default('station'),
  roleMap: roleMapSchema.default(null),
  acceptIdTokens: z.boolean().default(false).openapi({
    description:
      'Accept ID tokens (with nonce, at_hash, c_hash, token_use: id or typ: ID) as if they were access tokens, for legacy clients ' +
      'that send them. Off by default: an ID token proves a sign-in to a client, it does not grant access to this API.',
  }),
};

export const identityProviderInputSchema = z
  .object(identityProviderFields)
  .strict()
  .refine((input) => (input.jwksUri ? 1 : 0) + (input.jwks ? 1 : 0) === 1, { message: 'give exactly one of jwksUri and jwks', path: ['jwksUri'] })
  .openapi('IdentityProviderInput');

export const identityProviderSchema = z
  .object({
    id: z.uuid(),
    unitCode: tenancyCode('MH'),
    issuer: z.string(),
    audience: z.string(),
    jwksUri: z.string().nullable(),
    jwks: publicJwks.nullable(),
    algorithms: z.array(z.string()),
    rolesClaim: z.string(),
    districtClaim: z.string(),
    stationClaim: z.string(),
    roleMap: roleMapSchema,
    acceptIdTokens: z.boolean(),
    version: z.number().int(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .openapi('IdentityProvider');

export function toIdentityProvider(row: IdentityProviderRow): z.infer<typeof identityProviderSchema> {
  return {
    id: row.id,
    unitCode: row.unitCode,
    issuer: row.issuer,
    audience: row.audience,
    jwksUri: row.jwksUri,
    jwks: (row.jwks ?? null) as z.infer<typeof publicJwks> | null,
    algorithms: row.algorithms,
    rolesClaim: row.rolesClaim,
    districtClaim: row.districtClaim,
    stationClaim: row.stationClaim,
    roleMap: row.roleMap ?? null,
    acceptIdTokens: row.acceptIdTokens,
    version: row.version,
    createdAt: toRfc3339(row.createdAt),
    updatedAt: toRfc3339(row.updatedAt),
  };
}

/**
 * Keys come over https from a public host (src/net/outbound-url.ts); loopback only where the
 * deployment allows it (development, tests). Checked again whenever the keys are fetched.
 */
export function assertFetchableKeys(jwksUri: string | null | undefined, config: AppConfig, pointer: string): void {
  if (!jwksUri) return;
  const checked = checkOutboundUrl(jwksUri, outboundPolicy(config));
  if (!checked.ok) throw invalidField(pointer, `jwksUri ${checked.reason}`);
}

/** Issuers this API already routes elsewhere can never belong to a unit. */
export function assertRegistrableIssuer(issuer: string, config: AppConfig, pointer: string): void {
  if (issuer === config.AUTH_ISSUER || issuer === config.TOKEN_ISSUER) throw invalidField(pointer, 'this issuer is reserved by the platform');
}

/**
 * Inline keys must be usable with the pinned algorithms: a key jose would refuse at
 * verification time (an RSA key under 2048 bits, a curve it does not know) is refused now.
 */
export async function assertUsableKeys(jwks: { keys: JWK[] } | null | undefined, algorithms: string[] | undefined, pointer: string): Promise<void> {
  if (!jwks) return;
  for (const [index, key] of jwks.keys.entries()) {
    // A key that names its alg verifies only that one (jose matches it against the token's header).
    const usable = algorithmsForKey(key).filter((algorithm) => (!algorithms || algorithms.includes(algorithm)) && (key.alg === undefined || key.alg === algorithm));
    const algorithm = usable[0];
    const problem = (detail: string) => invalidField(`${pointer}/keys/${index}`, detail);
    if (!algorithm) throw problem(`a ${[key.kty, key.crv, key.alg].filter(Boolean).join(' ')} key cannot verify ${algorithms?.join(', ') ?? 'any accepted algorithm'}`);
    if (key.kty === 'RSA' && (key.n ?? '').length * 6 < 2048) throw problem('an RSA key must be at least 2048 bits');
    if (key.use !== undefined && key.use !== 'sig') throw problem('the key must be for signatures (use: sig)');
    try {
      await importJWK(key, algorithm);
    } catch {
      throw problem(`not a usable ${algorithm} public key`);
    }
  }
}

export const providerPathSchema = z.object({
  unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }),
  providerId: z.uuid().openapi({ param: { name: 'providerId', in: 'path' } }),
});
