import { createRoute, z } from '@hono/zod-openapi';
import { newClientSecret } from '../../auth/client-credentials.js';
import { requirePermission } from '../../auth/require-auth.js';
import { updateIntegrationClient } from '../../db/queries/integration-clients.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { clientPathSchema, clientSecretSchema, integrationClientSchema, toIntegrationClient } from './client-schema.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/clients/{clientId}/secret',
  operationId: 'rotateClientSecret',
  tags: ['Identity'],
  summary: 'Replace a client\'s secret',
  description: 'The old secret stops working at once; the new one is in this response only. Audited. One database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('clients:manage'),
  request: { params: clientPathSchema },
  responses: {
    200: {
      description: 'The new secret.',
      content: { 'application/json': { schema: z.object({ client: integrationClientSchema, clientSecret: clientSecretSchema }).openapi('RotatedClientSecret') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const rotateClientSecretRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, clientId } = c.req.valid('param');
  const { clientSecret, secretHash } = await newClientSecret();
  const actor = { principal: c.var.principal, requestId: c.var.requestId };
  const [{ rows }] = await c.var.db.batch((db) => [updateIntegrationClient(db, actor, unitCode, clientId, { secretHash }, null, 'client.secret_rotated')]);
  if (!rows[0]) throw notFound(`client ${clientId}`);
  return c.json({ client: toIntegrationClient(rows[0]), clientSecret }, 200);
});
