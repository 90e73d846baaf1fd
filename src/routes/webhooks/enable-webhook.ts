import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { updateWebhookSubscription } from '../../db/queries/webhook-subscriptions.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { toWebhookSubscription, webhookPathSchema, webhookSubscriptionSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/webhooks/{subscriptionId}/enable',
  operationId: 'enableWebhook',
  tags: ['Webhooks'],
  summary: 'Resume deliveries to a subscription',
  description: 'Its failure count starts afresh. Harmless when it is enabled already. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: { params: webhookPathSchema },
  responses: {
    200: { description: 'Enabled.', content: { 'application/json': { schema: webhookSubscriptionSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const enableWebhookRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId } = c.req.valid('param');
  const change = { status: { enabled: true as const } };
  const [{ rows }] = await c.var.db.batch((db) => [updateWebhookSubscription(db, actorOf(c), unitCode, subscriptionId, change, null, 'webhook.enabled')]);
  if (!rows[0]) throw notFound(`webhook subscription ${subscriptionId}`);
  return c.json(toWebhookSubscription(rows[0]), 200);
});
