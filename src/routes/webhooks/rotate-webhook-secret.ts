import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { updateWebhookSubscription } from '../../db/queries/webhook-subscriptions.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { generateSigningSecret } from '../../webhooks/signing-secret.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { defaultSecretOverlapSeconds, secretRotationBody } from '../../http/secret-rotation.js';
import { signingSecretSchema, toWebhookSubscription, webhookPathSchema, webhookSubscriptionSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/webhooks/{subscriptionId}/secret/rotate',
  operationId: 'rotateWebhookSecret',
  tags: ['Webhooks'],
  summary: 'Replace a subscription\'s signing secret, the old one still signing for an overlap',
  description:
    'The new secret is in this response only. Until `previousSecretExpiresAt` each delivery carries a signature by the new secret ' +
    'and one by the secret it replaced (`previousSecretValidForSeconds`, default 86400, a day; 0 ends it at once; at most 604800). ' +
    '`POST …/secret/previous/revoke` ends the overlap early. A secret replaced earlier stops at once. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: {
    params: webhookPathSchema,
    body: secretRotationBody,
  },
  responses: {
    200: {
      description: 'The new secret; the subscription shows until when the previous one still signs.',
      content: { 'application/json': { schema: z.object({ subscription: webhookSubscriptionSchema, secret: signingSecretSchema }).openapi('RotatedWebhookSecret') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const rotateWebhookSecretRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId } = c.req.valid('param');
  const overlapSeconds = c.req.valid('json')?.previousSecretValidForSeconds ?? defaultSecretOverlapSeconds;
  const secret = generateSigningSecret();
  const change = { secret: { rotateTo: secret, overlapSeconds } };
  const [{ rows }] = await c.var.db.batch((db) => [updateWebhookSubscription(db, actorOf(c), unitCode, subscriptionId, change, null, 'webhook.secret_rotated')]);
  if (!rows[0]) throw notFound(`webhook subscription ${subscriptionId}`);
  return c.json({ subscription: toWebhookSubscription(rows[0]), secret }, 200);
});
