import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { createWebhookSubscription } from '../../db/queries/webhook-subscriptions.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { generateSigningSecret } from '../../webhooks/signing-secret.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { deliverableUrl, eventTypesSchema, placementLabel, signingSecretSchema, toWebhookSubscription, webhookScopeSchema, webhookSubscriptionSchema, webhookUrlSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/webhooks',
  operationId: 'createWebhook',
  tags: ['Webhooks'],
  summary: 'Subscribe a receiver to the unit\'s events',
  description:
    'Events of the named types, from the whole unit or one of its districts or stations, are pushed to the URL, signed with the ' +
    'subscription\'s secret (Standard Webhooks: webhook-id is the event id), at least once, retried for about 3 days. ' +
    'The secret is in this response only (and in its replay: a retry with the same Idempotency-Key gets the same subscription and ' +
    'secret, never a second subscription). Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: {
    params: unitPathSchema,
    headers: idempotencyHeaderSchema,
    body: {
      required: true,
      content: { 'application/json': { schema: z.object({ url: webhookUrlSchema, scope: webhookScopeSchema, eventTypes: eventTypesSchema }).strict() } },
    },
  },
  responses: {
    201: {
      description: 'Subscribed; keep the secret now.',
      content: { 'application/json': { schema: z.object({ subscription: webhookSubscriptionSchema, secret: signingSecretSchema }).openapi('NewWebhookSubscription') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const createWebhookRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const input = c.req.valid('json');
  const url = deliverableUrl(input.url, c.var.config);
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: input });
  const subscription = { url, placement: input.scope, eventTypes: [...new Set(input.eventTypes)], secret: generateSigningSecret() };
  const { rows } = await c.var.db.change(idempotency, (db) => createWebhookSubscription(db, actorOf(c, idempotency), unitCode, subscription));
  if (!rows[0]) throw notFound(`unit ${unitCode}${placementLabel(input.scope)}`);
  return c.json({ subscription: toWebhookSubscription(rows[0]), secret: rows[0].secret }, 201);
});
