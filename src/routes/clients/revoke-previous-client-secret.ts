import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { updateIntegrationClient } from '../../db/queries/integration-clients.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { clientPathSchema, integrationClientSchema, toIntegrationClient } from './client-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'delete',
  path: '/units/{unitCode}/clients/{clientId}/secret/previous',
  operationId: 'revokePreviousClientSecret',
  tags: ['Identity'],
  summary: 'End a rotation\'s overlap early: the replaced secret stops working now',
  description: 'For a secret that leaked, or once every system uses the new one. Harmless when there is none. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: { params: clientPathSchema },
  responses: {
    200: { description: 'The client, with no previous secret.', content: { 'application/json': { schema: integrationClientSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const revokePreviousClientSecretRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, clientId } = c.req.valid('param');
  const actor = actorOf(c);
  const secret = { revokePrevious: true as const };
  const [{ rows }] = await c.var.db.batch((db) => [updateIntegrationClient(db, actor, unitCode, clientId, { secret }, null, 'client.previous_secret_revoked')]);
  if (!rows[0]) throw notFound(`client ${clientId}`);
  return c.json(toIntegrationClient(rows[0]), 200);
});
