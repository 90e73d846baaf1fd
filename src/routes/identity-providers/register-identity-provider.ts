import { createRoute } from '@hono/zod-openapi';
import { forgetIssuer } from '../../auth/identity-provider-directory.js';
import { requirePermission } from '../../auth/require-auth.js';
import { registerIdentityProvider } from '../../db/queries/identity-providers.js';
import { authenticatedProblems, conflictProblem, keySetProblem, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { etagOf } from '../../http/etag.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { assertRegistrableIssuer, identityProviderInputSchema, identityProviderSchema, keySourceOf, toIdentityProvider } from './identity-provider-schema.js';
import { resolveProviderKeys } from './provider-keys.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/identity-providers',
  operationId: 'registerIdentityProvider',
  tags: ['Identity'],
  summary: 'Accept officers\' tokens from the unit\'s own identity provider',
  description:
    'Tokens from this issuer are verified with its keys and algorithms, must carry this audience, and always act for this ' +
    'unit: the unit is never read from the token. Roles, district and station come from the named claims; such a token can ' +
    'never hold platform_admin. An issuer belongs to one unit. Given the issuer alone, the keys are found through its discovery document. ' +
    'Before anything is saved the key set is fetched and must hold a key for the pinned algorithms (422 key_set_unusable otherwise). ' +
    'Audited. One database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('identity:manage'),
  request: { params: unitPathSchema, headers: idempotencyHeaderSchema, body: { required: true, content: { 'application/json': { schema: identityProviderInputSchema } } } },
  responses: {
    201: { description: 'Registered.', headers: etagHeaders, content: { 'application/json': { schema: identityProviderSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
    ...keySetProblem,
  },
});

export const registerIdentityProviderRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const input = c.req.valid('json');
  assertRegistrableIssuer(input.issuer, c.var.config, '/body/issuer');
  const keys = await resolveProviderKeys(keySourceOf(input), c.var.config, c.var.now, '/body');
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: input });
  const actor = actorOf(c, idempotency);
  const { rows } = await c.var.db.change(idempotency, (db) =>
    registerIdentityProvider(db, actor, unitCode, { ...input, ...keys }),
  );
  if (!rows[0]) throw notFound(`unit ${unitCode}`);
  // A token presented before registration left "unregistered" in this isolate's cache.
  forgetIssuer(rows[0].issuer);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toIdentityProvider(rows[0]), 201);
});
