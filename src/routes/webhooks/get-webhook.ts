import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findWebhookSubscription } from '../../db/queries/webhook-subscriptions.js';
import { etagOf } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { toWebhookSubscription, webhookPathSchema, webhookSubscriptionSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/webhooks/{subscriptionId}',
  operationId: 'getWebhook',
  tags: ['Webhooks'],
  summary: 'One webhook subscription, without its secret',
  description: 'The ETag is what If-Match names when changing it. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: { params: webhookPathSchema },
  responses: {
    200: { description: 'The subscription.', headers: etagHeaders, content: { 'application/json': { schema: webhookSubscriptionSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getWebhookRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId } = c.req.valid('param');
  const [{ rows }] = await c.var.db.batch((db) => [findWebhookSubscription(db, unitCode, subscriptionId)]);
  if (!rows[0]) throw notFound(`webhook subscription ${subscriptionId}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toWebhookSubscription(rows[0]), 200);
});
