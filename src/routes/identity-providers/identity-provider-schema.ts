import { z } from '@hono/zod-openapi';
import type { JWK } from 'jose';
import { usabilityOf } from '../../auth/key-set-check.js';
import { signingAlgorithms } from '../../auth/signing-algorithms.js';
import type { IdentityProviderRow } from '../../db/queries/identity-providers.js';
import { outboundPolicy, type AppConfig } from '../../env.js';
import { invalidField } from '../../http/problem.js';
import { checkOutboundUrl } from '../../net/outbound-url.js';
import { tenancyCode, timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { claimPathSchema, roleMapSchema } from './role-map-schema.js';
import { stationSignInInputSchema, stationSignInSchema } from './station-sign-in-schema.js';

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
  issuer: z.string().min(1).max(500).openapi({
    description:
      'The `iss` of the provider\'s tokens. Given alone (without jwksUri or jwks), the API reads `<issuer>/.well-known/openid-configuration`, ' +
      'whose `issuer` must match exactly, and takes its `jwks_uri` (and, unless given, the algorithms from `id_token_signing_alg_values_supported`).',
    example: 'https://login.mahapolice.example/realms/officers',
  }),
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
  algorithms: z.array(z.enum(signingAlgorithms)).min(1).max(signingAlgorithms.length).openapi({
    description:
      'The only algorithms accepted from this issuer. Asymmetric only: HMAC (HS256, …) and none are never accepted. Required with jwksUri or jwks; ' +
      'when registering by issuer, taken from the discovery document unless given. The key set must hold at least one key for them.',
  }),
  audienceClaim: z.enum(['aud', 'client_id']).default('aud').openapi({
    description: 'The claim that must carry the audience: `aud` (RFC 9068), or `client_id` for providers whose access tokens have no `aud` (Amazon Cognito).',
  }),
  rolesClaim: claimPathSchema.default('roles'),
  districtClaim: claimPathSchema.default('district'),
  stationClaim: claimPathSchema.default('station'),
  roleMap: roleMapSchema.default(null),
  acceptIdTokens: z.boolean().default(false).openapi({
    description:
      'Accept ID tokens (with nonce, at_hash, c_hash, token_use: id or typ: ID) as if they were access tokens, for legacy clients ' +
      'that send them. Off by default: an ID token proves a sign-in to a client, it does not grant access to this API.',
  }),
  stationSignIn: stationSignInInputSchema.default(null),
};

export const identityProviderInputSchema = z
  .object({ ...identityProviderFields, algorithms: identityProviderFields.algorithms.optional() })
  .strict()
  .refine((input) => !(input.jwksUri && input.jwks), { message: 'give at most one of jwksUri and jwks (neither: the keys are discovered from the issuer)', path: ['jwksUri'] })
  .refine((input) => input.algorithms || !(input.jwksUri || input.jwks), { message: 'give the algorithms with jwksUri or jwks', path: ['algorithms'] })
  .openapi('IdentityProviderInput');

export type IdentityProviderInputBody = z.infer<typeof identityProviderInputSchema>;

/** Where a registration's keys come from, as resolveProviderKeys takes it. */
export function keySourceOf(input: IdentityProviderInputBody) {
  return input.jwksUri || input.jwks
    ? { discover: false as const, jwksUri: input.jwksUri ?? null, jwks: input.jwks ?? null, algorithms: input.algorithms! }
    : { discover: true as const, issuer: input.issuer, algorithms: input.algorithms };
}

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
    audienceClaim: z.enum(['aud', 'client_id']),
    issuerDiscovery: z.boolean().openapi({ description: 'The jwksUri was taken from the issuer\'s discovery document.' }),
    stationSignIn: stationSignInSchema,
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
    audienceClaim: row.audienceClaim,
    issuerDiscovery: row.issuerDiscovery,
    stationSignIn: row.stationSignIn ?? null,
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
export async function assertUsableKeys(jwks: { keys: JWK[] } | null | undefined, algorithms: readonly string[], pointer: string): Promise<void> {
  if (!jwks) return;
  for (const [index, key] of jwks.keys.entries()) {
    const usability = await usabilityOf(key, algorithms);
    if ('unusable' in usability) throw invalidField(`${pointer}/keys/${index}`, usability.unusable);
  }
}

export const providerPathSchema = z.object({
  unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }),
  providerId: z.uuid().openapi({ param: { name: 'providerId', in: 'path' } }),
});
