import { createRoute, z } from '@hono/zod-openapi';
import { forgetIssuer } from '../../auth/identity-provider-directory.js';
import { requirePermission } from '../../auth/require-auth.js';
import { findIdentityProvider, updateIdentityProvider } from '../../db/queries/identity-providers.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { atLeastOneChange } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { assertFetchableKeys, assertUsableKeys, identityProviderFields, identityProviderSchema, providerPathSchema, toIdentityProvider } from './identity-provider-schema.js';
import { etagHeaders } from '../../http/response-headers.js';

const { issuer: _issuer, ...changeable } = identityProviderFields;

const route = createRoute({
  method: 'patch',
  path: '/units/{unitCode}/identity-providers/{providerId}',
  operationId: 'updateIdentityProvider',
  tags: ['Identity'],
  summary: 'Change an identity provider\'s keys, audience, algorithms, claim names or whether it may send ID tokens',
  description: 'The issuer never changes (register a new provider instead). Replacing keys: give jwksUri or jwks, the other becomes null. Audited. One database round trip.',
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
              roleMap: changeable.roleMap.removeDefault().optional(),
            })
            .strict()
            .refine(...atLeastOneChange)
            .refine((changes) => !(changes.jwksUri && changes.jwks), { message: 'give at most one of jwksUri and jwks', path: ['jwksUri'] })
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
  },
});

export const updateIdentityProviderRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, providerId } = c.req.valid('param');
  const changes = c.req.valid('json');
  assertFetchableKeys(changes.jwksUri, c.var.config, '/body/jwksUri');
  await assertUsableKeys(changes.jwks, changes.algorithms, '/body/jwks');
  const keys = changes.jwksUri || changes.jwks ? { jwksUri: changes.jwksUri ?? null, jwks: changes.jwks ?? null } : {};
  const version = expectedVersion(c.req.valid('header')['if-match']);
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
