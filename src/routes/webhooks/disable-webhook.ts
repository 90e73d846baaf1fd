import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { updateWebhookSubscription } from '../../db/queries/webhook-subscriptions.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { toWebhookSubscription, webhookPathSchema, webhookSubscriptionSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/webhooks/{subscriptionId}/disable',
  operationId: 'disableWebhook',
  tags: ['Webhooks'],
  summary: 'Stop deliveries to a subscription',
  description: 'Nothing is delivered until it is enabled again. The reason is shown with it. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: {
    params: webhookPathSchema,
    body: { required: false, content: { 'application/json': { schema: z.object({ reason: z.string().trim().min(1).max(500).optional() }).strict() } } },
  },
  responses: {
    200: { description: 'Disabled.', content: { 'application/json': { schema: webhookSubscriptionSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const disableWebhookRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId } = c.req.valid('param');
  const reason = c.req.valid('json')?.reason ?? 'disabled by the unit administrator';
  const change = { status: { enabled: false as const, reason } };
  const [{ rows }] = await c.var.db.batch((db) => [updateWebhookSubscription(db, actorOf(c), unitCode, subscriptionId, change, null, 'webhook.disabled')]);
  if (!rows[0]) throw notFound(`webhook subscription ${subscriptionId}`);
  return c.json(toWebhookSubscription(rows[0]), 200);
});
