import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findUpdatableWebhookSubscription, updateWebhookSubscription } from '../../db/queries/webhook-subscriptions.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { atLeastOneChange } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { deliverableUrl, eventTypesSchema, placementLabel, toWebhookSubscription, webhookPathSchema, webhookScopeSchema, webhookSubscriptionSchema, webhookUrlSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'patch',
  path: '/units/{unitCode}/webhooks/{subscriptionId}',
  operationId: 'updateWebhook',
  tags: ['Webhooks'],
  summary: 'Change where a subscription delivers, which events, or from where in the unit',
  description: 'A district or station outside the unit is 404. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: {
    params: webhookPathSchema,
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ url: webhookUrlSchema.optional(), scope: webhookScopeSchema.optional(), eventTypes: eventTypesSchema.optional() })
            .strict()
            .refine(...atLeastOneChange),
        },
      },
    },
  },
  responses: {
    200: { description: 'Updated.', headers: etagHeaders, content: { 'application/json': { schema: webhookSubscriptionSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const updateWebhookRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId } = c.req.valid('param');
  const input = c.req.valid('json');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  const changes = {
    url: input.url === undefined ? undefined : deliverableUrl(input.url, c.var.config),
    eventTypes: input.eventTypes && [...new Set(input.eventTypes)],
    placement: input.scope,
  };
  const updated = await c.var.db.updateIfCurrent(
    (db) => updateWebhookSubscription(db, actorOf(c), unitCode, subscriptionId, changes, version),
    (db) => findUpdatableWebhookSubscription(db, unitCode, subscriptionId, input.scope),
    `webhook subscription ${subscriptionId}${placementLabel(input.scope)}`,
  );
  c.header('ETag', etagOf(updated.version));
  return c.json(toWebhookSubscription(updated), 200);
});
