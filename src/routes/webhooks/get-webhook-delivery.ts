import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findWebhookDelivery, listWebhookDeliveryAttempts } from '../../db/queries/webhook-delivery-log.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { toWebhookDelivery, toWebhookDeliveryAttempt, webhookDeliveryAttemptSchema, webhookDeliveryPathSchema, webhookDeliverySchema } from './webhook-delivery-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/webhooks/{subscriptionId}/deliveries/{deliveryId}',
  operationId: 'getWebhookDelivery',
  tags: ['Webhooks'],
  summary: 'One delivery with every attempt made of it',
  description: 'Attempts in the order they were made, replays included: when, what the receiver answered, how long it took. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: { params: webhookDeliveryPathSchema },
  responses: {
    200: {
      description: 'The delivery and its attempts.',
      content: { 'application/json': { schema: webhookDeliverySchema.extend({ attempts: z.array(webhookDeliveryAttemptSchema) }).openapi('WebhookDeliveryWithAttempts') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getWebhookDeliveryRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId, deliveryId } = c.req.valid('param');
  const [delivery, attempts] = await c.var.db.batch((db) => [
    findWebhookDelivery(db, unitCode, subscriptionId, deliveryId),
    listWebhookDeliveryAttempts(db, unitCode, subscriptionId, deliveryId),
  ]);
  if (!delivery.rows[0]) throw notFound(`webhook delivery ${deliveryId}`);
  return c.json({ ...toWebhookDelivery(delivery.rows[0]), attempts: attempts.rows.map(toWebhookDeliveryAttempt) }, 200);
});
