import { createRoute, z } from '@hono/zod-openapi';
import { forgetIssuer } from '../../auth/identity-provider-directory.js';
import { requirePermission } from '../../auth/require-auth.js';
import { findIdentityProvider, readIdentityProvider, updateIdentityProvider, type IdentityProviderRow } from '../../db/queries/identity-providers.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, keySetProblem, notFound, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { atLeastOneChange } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { identityProviderFields, identityProviderSchema, providerPathSchema, toIdentityProvider } from './identity-provider-schema.js';
import { resolveProviderKeys, type KeySource } from './provider-keys.js';
import { etagHeaders } from '../../http/response-headers.js';

const { issuer: _issuer, ...changeable } = identityProviderFields;

const route = createRoute({
  method: 'patch',
  path: '/units/{unitCode}/identity-providers/{providerId}',
  operationId: 'updateIdentityProvider',
  tags: ['Identity'],
  summary: 'Change an identity provider\'s keys, audience, algorithms, claims, role map, station sign-in or whether it may send ID tokens',
  description:
    'The issuer never changes (register a new provider instead). Replacing keys: give jwksUri or jwks, the other becomes null; or ' +
    '`issuerDiscovery: true` to take the jwks_uri from the issuer\'s discovery document again. Whenever the keys or the algorithms change, ' +
    'the key set is fetched and must hold a key for the pinned algorithms (422 key_set_unusable otherwise, nothing saved). ' +
    'Audited. One database round trip, two when the keys or algorithms change.',
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('identity:manage'),
  request: {
    params: providerPathSchema,
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              audience: changeable.audience.optional(),
              jwksUri: changeable.jwksUri,
              jwks: changeable.jwks,
              algorithms: changeable.algorithms.optional(),
              rolesClaim: changeable.rolesClaim.removeDefault().optional(),
              districtClaim: changeable.districtClaim.removeDefault().optional(),
              stationClaim: changeable.stationClaim.removeDefault().optional(),
              acceptIdTokens: changeable.acceptIdTokens.removeDefault().optional(),
              audienceClaim: changeable.audienceClaim.removeDefault().optional(),
              roleMap: changeable.roleMap.removeDefault().optional(),
              stationSignIn: changeable.stationSignIn.removeDefault().optional(),
              issuerDiscovery: z.literal(true).optional().openapi({ description: 'Read the issuer\'s discovery document again and take its jwks_uri.' }),
            })
            .strict()
            .refine(...atLeastOneChange)
            .refine((changes) => !(changes.jwksUri && changes.jwks), { message: 'give at most one of jwksUri and jwks', path: ['jwksUri'] })
            .refine((changes) => !(changes.issuerDiscovery && (changes.jwksUri || changes.jwks)), {
              message: 'the keys come from the discovery document or from jwksUri or jwks, not both',
              path: ['issuerDiscovery'],
            })
            .refine((changes) => !(changes.jwksUri === null && !changes.jwks) && !(changes.jwks === null && !changes.jwksUri), {
              message: 'a provider keeps one source of keys',
              path: ['jwks'],
            }),
        },
      },
    },
  },
  responses: {
    200: { description: 'Updated.', headers: etagHeaders, content: { 'application/json': { schema: identityProviderSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
    ...keySetProblem,
  },
});

type ProviderChanges = {
  jwksUri?: string | null;
  jwks?: { keys: unknown[] } | null;
  algorithms?: string[];
  issuerDiscovery?: true;
};

/** Where the keys will come from after the change, or null when the change leaves keys and algorithms alone. */
function keySourceAfter(changes: ProviderChanges, current: IdentityProviderRow): KeySource | null {
  if (changes.issuerDiscovery) return { discover: true, issuer: current.issuer, algorithms: changes.algorithms };
  if (changes.jwksUri || changes.jwks) {
    return { discover: false, jwksUri: changes.jwksUri ?? null, jwks: changes.jwks ?? null, algorithms: changes.algorithms ?? current.algorithms };
  }
  if (!changes.algorithms) return null;
  return { discover: false, jwksUri: current.jwksUri, jwks: current.jwks as { keys: unknown[] } | null, algorithms: changes.algorithms, algorithmsOnly: true };
}

export const updateIdentityProviderRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, providerId } = c.req.valid('param');
  const { issuerDiscovery, ...changes } = c.req.valid('json');
  let version = expectedVersion(c.req.valid('header')['if-match']);
  let keys = {};
  if (issuerDiscovery || changes.jwksUri || changes.jwks || changes.algorithms) {
    const [{ rows }] = await c.var.db.batch((db) => [readIdentityProvider(db, unitCode, providerId)]);
    const current = rows[0];
    if (!current) throw notFound(`identity provider ${providerId}`);
    const source = keySourceAfter({ ...changes, issuerDiscovery }, current)!;
    const resolved = await resolveProviderKeys(source, c.var.config, c.var.now, '/body');
    const sourceChanged = issuerDiscovery || changes.jwksUri || changes.jwks;
    keys = sourceChanged ? resolved : { algorithms: resolved.algorithms, keyCheck: resolved.keyCheck };
    // What was checked is what is saved: a change in between makes this one 412.
    version ??= [current.version];
  }
  const actor = actorOf(c);
  const updated = await c.var.db.updateIfCurrent(
    (db) => updateIdentityProvider(db, actor, unitCode, providerId, { ...changes, jwksUri: undefined, jwks: undefined, ...keys }, version),
    (db) => findIdentityProvider(db, unitCode, providerId),
    `identity provider ${providerId}`,
  );
  forgetIssuer(updated.issuer);
  c.header('ETag', etagOf(updated.version));
  return c.json(toIdentityProvider(updated), 200);
});
