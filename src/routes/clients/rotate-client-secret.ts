import { createRoute, z } from '@hono/zod-openapi';
import { newClientSecret } from '../../auth/client-credentials.js';
import { requirePermission } from '../../auth/require-auth.js';
import { updateIntegrationClient } from '../../db/queries/integration-clients.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { defaultSecretOverlapSeconds, secretRotationBody } from '../../http/secret-rotation.js';
import { clientPathSchema, clientSecretSchema, integrationClientSchema, toIntegrationClient } from './client-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/clients/{clientId}/secret',
  operationId: 'rotateClientSecret',
  tags: ['Identity'],
  summary: 'Replace a client\'s secret, the old one still valid for an overlap',
  description:
    'The new secret is in this response only. The secret it replaces keeps working for `previousSecretValidForSeconds` ' +
    '(default 86400, a day; 0 ends it at once; at most 604800), so an integrator can roll over without downtime; ' +
    '`DELETE …/secret/previous` ends the overlap early. A secret replaced earlier stops at once. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: {
    params: clientPathSchema,
    body: secretRotationBody,
  },
  responses: {
    200: {
      description: 'The new secret; the client shows until when the previous one still works.',
      content: { 'application/json': { schema: z.object({ client: integrationClientSchema, clientSecret: clientSecretSchema }).openapi('RotatedClientSecret') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const rotateClientSecretRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, clientId } = c.req.valid('param');
  const overlapSeconds = c.req.valid('json')?.previousSecretValidForSeconds ?? defaultSecretOverlapSeconds;
  const { clientSecret, secretHash } = await newClientSecret();
  const actor = actorOf(c);
  const secret = { rotateTo: secretHash, overlapSeconds };
  const [{ rows }] = await c.var.db.batch((db) => [updateIntegrationClient(db, actor, unitCode, clientId, { secret }, null, 'client.secret_rotated')]);
  if (!rows[0]) throw notFound(`client ${clientId}`);
  return c.json({ client: toIntegrationClient(rows[0]), clientSecret }, 200);
});
