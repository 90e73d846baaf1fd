import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listWebhookDeliveries } from '../../db/queries/webhook-delivery-log.js';
import { findWebhookSubscription } from '../../db/queries/webhook-subscriptions.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { toWebhookDelivery, webhookDeliverySchema, webhookDeliveryStatusSchema } from './webhook-delivery-schema.js';
import { webhookPathSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/webhooks/{subscriptionId}/deliveries',
  operationId: 'listWebhookDeliveries',
  tags: ['Webhooks'],
  summary: 'The delivery log of a subscription: one entry per event it was sent',
  description:
    'Newest delivery first (the order they were made; a replay queues an existing delivery again where it stands). ' +
    'Each shows how its last attempt went; GET one for every attempt. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: { params: webhookPathSchema, query: z.object({ status: webhookDeliveryStatusSchema.optional(), ...pageQuerySchema }) },
  responses: {
    200: {
      description: 'A page of deliveries.',
      content: { 'application/json': { schema: z.object({ data: z.array(webhookDeliverySchema), pagination: paginationSchema }).openapi('WebhookDeliveryPage') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

const cursorSchema = z.object({ before: z.uuid() });

export const listWebhookDeliveriesRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId } = c.req.valid('param');
  const { status, cursor, limit } = c.req.valid('query');
  const beforeId = cursor ? decodeCursor(cursor, cursorSchema).before : undefined;
  const [subscription, { rows }] = await c.var.db.batch((db) => [
    findWebhookSubscription(db, unitCode, subscriptionId),
    listWebhookDeliveries(db, unitCode, subscriptionId, { status, beforeId, limit }),
  ]);
  if (!subscription.rows[0]) throw notFound(`webhook subscription ${subscriptionId}`);
  return c.json(pageOf(rows, limit, (row) => ({ before: row.id }), toWebhookDelivery), 200);
});
