import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { replayRefusal, replayWebhookEvents, type ReplayTarget } from '../../db/queries/webhook-replay.js';
import { authenticatedProblems, conflictProblem, notFound, notFoundProblem, ProblemError } from '../../http/problem.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { webhookPathSchema } from './webhook-schema.js';
import { callersWith } from '../../http/security.js';

export const replayRangeMaxDays = 31;
const dayMs = 24 * 60 * 60_000;

const eventReplaySchema = z.object({ eventId: z.uuid() }).strict().openapi('WebhookEventReplay');
const rangeReplaySchema = z
  .object({
    from: timestampSchema.openapi({ description: 'Events that happened at or after this time…' }),
    to: timestampSchema.openapi({ description: '…and before this one.' }),
  })
  .strict()
  // Written as negations so that a time that did not parse (NaN) is reported once, by its own field.
  .refine((range) => !(Date.parse(range.to) <= Date.parse(range.from)), { path: ['to'], message: 'to must be after from' })
  .refine((range) => !(Date.parse(range.to) - Date.parse(range.from) > replayRangeMaxDays * dayMs), { path: ['to'], message: `a range spans at most ${replayRangeMaxDays} days` })
  .openapi('WebhookRangeReplay');

const replaySchema = z
  .object({
    replayed: z.number().int().openapi({ description: 'Deliveries queued: new ones, and existing ones pending again.' }),
    eventId: z.uuid().optional(),
    from: timestampSchema.optional(),
    to: timestampSchema.optional(),
  })
  .openapi('WebhookReplay');

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/webhooks/{subscriptionId}/replay',
  operationId: 'replayWebhookEvents',
  tags: ['Webhooks'],
  summary: 'Send one event, or every event of a time range, to this subscription again',
  description:
    'Only events the subscription receives (its scope holds them and its eventTypes name them) are sent, with their own event id as ' +
    'webhook-id, so a receiver that already has one can tell. A delivery made before is queued again with a fresh retry schedule; its ' +
    `attempts so far stay in its log. A range is [from, to), at most ${replayRangeMaxDays} days. A disabled subscription is 409: enable it first. ` +
    'Audited. One database round trip (two when nothing is replayed).',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: {
    params: webhookPathSchema,
    body: { required: true, content: { 'application/json': { schema: z.union([eventReplaySchema, rangeReplaySchema], { error: 'send either eventId, or from and to' }) } } },
  },
  responses: {
    202: { description: 'Queued; the deliveries go out shortly and show in the delivery log.', content: { 'application/json': { schema: replaySchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    409: conflictProblem[409],
    422: conflictProblem[422],
  },
});

export const replayWebhookEventsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, subscriptionId } = c.req.valid('param');
  const body = c.req.valid('json');
  const target: ReplayTarget = 'eventId' in body ? { eventId: body.eventId } : { from: toRfc3339(body.from), to: toRfc3339(body.to) };
  const [{ rows }] = await c.var.db.batch((db) => [replayWebhookEvents(db, actorOf(c), unitCode, subscriptionId, target)]);
  if (!rows[0]) {
    const eventId = 'eventId' in target ? target.eventId : null;
    const [{ rows: refusal }] = await c.var.db.batch((db) => [replayRefusal(db, unitCode, subscriptionId, eventId)]);
    if (!refusal[0]) throw notFound(`webhook subscription ${subscriptionId}`);
    if (refusal[0].status === 'disabled') throw new ProblemError('webhook_disabled', 'enable the subscription, then replay');
    if (!refusal[0].eventFound) throw notFound(`event ${eventId}`);
    throw new ProblemError('event_not_subscribed', `the subscription does not receive event ${eventId}: check its eventTypes and scope`);
  }
  c.set('queuedDeliveries', rows[0].deliveryIds);
  return c.json({ replayed: rows[0].replayed, ...target }, 202);
});
