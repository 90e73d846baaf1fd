import { createRoute } from '@hono/zod-openapi';
import { forgetIssuer } from '../../auth/identity-provider-directory.js';
import { requirePermission } from '../../auth/require-auth.js';
import { findIdentityProvider, removeIdentityProvider } from '../../db/queries/identity-providers.js';
import { expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { providerPathSchema } from './identity-provider-schema.js';

const route = createRoute({
  method: 'delete',
  path: '/units/{unitCode}/identity-providers/{providerId}',
  operationId: 'removeIdentityProvider',
  tags: ['Identity'],
  summary: 'Stop accepting tokens from an identity provider',
  description: 'Tokens from the issuer are refused within a minute on every isolate (at once on this one). Audited. One database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('identity:manage'),
  request: { params: providerPathSchema, headers: ifMatchHeaderSchema },
  responses: {
    204: { description: 'Removed.' },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const removeIdentityProviderRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, providerId } = c.req.valid('param');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  const actor = actorOf(c);
  const removed = await c.var.db.updateIfCurrent(
    (db) => removeIdentityProvider(db, actor, unitCode, providerId, version),
    (db) => findIdentityProvider(db, unitCode, providerId),
    `identity provider ${providerId}`,
  );
  forgetIssuer(removed.issuer);
  return c.body(null, 204);
});
