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
  path: '/units/{unitCode}/webhooks/{subscriptionId}/secret/previous/revoke',
  operationId: 'revokePreviousWebhookSecret',
  tags: ['Webhooks'],
  summary: 'End a rotation\'s overlap early: the replaced secret signs nothing more',
  description: 'For a secret that leaked, or once the receiver uses the new one. Harmless when there is none. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: { params: webhookPathSchema },
  responses: {
    200: { description: 'The subscription, with no previous secret.', content: { 'application/json': { schema: webhookSubscriptionSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const revokePreviousWebhookSecretRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId } = c.req.valid('param');
  const change = { secret: { revokePrevious: true as const } };
  const [{ rows }] = await c.var.db.batch((db) => [updateWebhookSubscription(db, actorOf(c), unitCode, subscriptionId, change, null, 'webhook.previous_secret_revoked')]);
  if (!rows[0]) throw notFound(`webhook subscription ${subscriptionId}`);
  return c.json(toWebhookSubscription(rows[0]), 200);
});
