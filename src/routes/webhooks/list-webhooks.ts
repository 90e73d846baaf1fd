import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findUnit } from '../../db/queries/tenancy.js';
import { listWebhookSubscriptions } from '../../db/queries/webhook-subscriptions.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { toWebhookSubscription, webhookSubscriptionSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/webhooks',
  operationId: 'listWebhooks',
  tags: ['Webhooks'],
  summary: 'The unit\'s webhook subscriptions',
  description: 'Unit administrators only; another unit is 404. Secrets are never shown again. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: { params: unitPathSchema, query: z.object(pageQuerySchema) },
  responses: {
    200: {
      description: 'A page of subscriptions.',
      content: { 'application/json': { schema: z.object({ data: z.array(webhookSubscriptionSchema), pagination: paginationSchema }).openapi('WebhookSubscriptionPage') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

const cursorSchema = z.object({ after: z.uuid() });

export const listWebhooksRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const { cursor, limit } = c.req.valid('query');
  const afterId = cursor ? decodeCursor(cursor, cursorSchema).after : undefined;
  const [unit, { rows }] = await c.var.db.batch((db) => [findUnit(db, unitCode), listWebhookSubscriptions(db, unitCode, { afterId, limit })]);
  if (!unit.rows[0]) throw notFound(`unit ${unitCode}`);
  return c.json(pageOf(rows, limit, (row) => row.id, toWebhookSubscription), 200);
});
