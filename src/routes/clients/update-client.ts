import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findIntegrationClient, updateIntegrationClient } from '../../db/queries/integration-clients.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { atLeastOneChange, displayName } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { clientPathSchema, clientScopeSchema, integrationClientSchema, toIntegrationClient } from './client-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'patch',
  path: '/units/{unitCode}/clients/{clientId}',
  operationId: 'updateClient',
  tags: ['Identity'],
  summary: 'Rename a client, change its scopes, or disable it',
  description: 'A disabled client gets no new tokens; tokens already issued expire within 15 minutes. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: {
    params: clientPathSchema,
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ name: displayName.optional(), scopes: z.array(clientScopeSchema).max(clientScopeSchema.options.length).optional(), disabled: z.boolean().optional() })
            .strict()
            .refine(...atLeastOneChange),
        },
      },
    },
  },
  responses: {
    200: { description: 'Updated.', headers: etagHeaders, content: { 'application/json': { schema: integrationClientSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const updateClientRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, clientId } = c.req.valid('param');
  const changes = c.req.valid('json');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  const actor = actorOf(c);
  const updated = await c.var.db.updateIfCurrent(
    (db) => updateIntegrationClient(db, actor, unitCode, clientId, { ...changes, scopes: changes.scopes && [...new Set(changes.scopes)] }, version),
    (db) => findIntegrationClient(db, unitCode, clientId),
    `client ${clientId}`,
  );
  c.header('ETag', etagOf(updated.version));
  return c.json(toIntegrationClient(updated), 200);
});
