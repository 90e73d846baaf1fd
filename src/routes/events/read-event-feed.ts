import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { readEventFeed, type FeedPosition } from '../../db/queries/integration-events.js';
import { EVENT_TYPES, eventEnvelopeSchema, type EventType } from '../../events/catalogue.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';
import { authenticatedProblems } from '../../http/problem.js';
import { toEventEnvelope } from '../../events/event-envelope.js';
import { createRouter } from '../router.js';
import { callersWith } from '../../http/security.js';

/** The longest a reader may hold a request open waiting for its next event. */
export const longestFeedWaitSeconds = 25;
const feedPollMilliseconds = 1_000;
const eventTypeSchema = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);
const feedStart: FeedPosition = { transactionId: '0', id: '00000000-0000-0000-0000-000000000000' };

export const feedEventSchema = eventEnvelopeSchema(
  eventTypeSchema,
  z.record(z.string(), z.unknown()).openapi({ description: "The type's payload, as published under `webhooks:` in this document." }),
)
  .openapi('IntegrationEvent');

const querySchema = z.object({
  after: z.string().max(512).optional().openapi({ description: 'The `nextCursor` of the previous read; omit to read from the beginning.' }),
  types: z
    .string()
    .max(2_000)
    .optional()
    .transform((value) => (value ? value.split(',').map((type) => type.trim()) : null))
    .pipe(z.array(eventTypeSchema).nullable())
    .openapi({ type: 'string', maxLength: 2_000, description: 'Comma-separated event types to read; every type when omitted.', example: 'step.escalated,step.overdue' }),
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'a whole number from 1 to 500')
    .default('100')
    .transform(Number)
    .pipe(z.number().int().min(1).max(500))
    .openapi({ type: 'integer', minimum: 1, maximum: 500, default: 100 }),
  wait: z
    .string()
    .max(3)
    .regex(/^[0-9]{1,2}s?$/, `seconds, 0 to ${longestFeedWaitSeconds}, such as 25s`)
    .default('0')
    .transform((value) => Number(value.replace('s', '')))
    .pipe(z.number().int().min(0).max(longestFeedWaitSeconds))
    .openapi({
      type: 'string',
      maxLength: 3,
      description: `Long polling: when nothing follows the cursor, hold the request open up to this many seconds (0 to ${longestFeedWaitSeconds}) for the next event.`,
      example: '25s',
    }),
});

const route = createRoute({
  method: 'get',
  path: '/events',
  operationId: 'readEventFeed',
  tags: ['Events'],
  summary: "The integration events of the caller's scope, in commit order, resumable from a cursor",
  description:
    "The pull feed for networks that accept no inbound calls: the events published under `webhooks:`, with the same payloads, scoped to the caller's unit, district or station by row-level security. " +
    'Events come in the order their transactions committed, and none is ever added behind a cursor already handed out. `nextCursor` is always returned: pass it back as `after`, also when `data` is empty.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { query: querySchema },
  responses: {
    200: {
      description: 'The next events after the cursor (possibly none).',
      content: {
        'application/json': {
          schema: z.object({ data: z.array(feedEventSchema), nextCursor: z.string(), hasMore: z.boolean() }).openapi('IntegrationEventFeed'),
        },
      },
    },
    ...authenticatedProblems,
  },
});

const cursorSchema = z.object({ transactionId: z.string().regex(/^\d{1,18}$/), id: z.uuid() });

const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

export const readEventFeedRoute = createRouter().openapi(route, async (c) => {
  const { after, types, limit, wait } = c.req.valid('query');
  const position = after ? decodeCursor(after, cursorSchema) : feedStart;
  const waitUntil = Date.now() + wait * 1_000;
  for (;;) {
    const [{ rows }] = await c.var.db.batch((db) => [readEventFeed(db, c.var.principal.tenancy.level, { after: position, types, limit: limit + 1 })]);
    // A client that went away (a closed tab) is not polled for: its page is answered to no one.
    if (rows.length > 0 || Date.now() + feedPollMilliseconds > waitUntil || c.req.raw.signal.aborted) {
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const nextCursor = encodeCursor(last ? { transactionId: last.transactionId, id: last.id } : { ...position });
      return c.json({ data: page.map(toEventEnvelope), nextCursor, hasMore: rows.length > limit }, 200);
    }
    await pause(feedPollMilliseconds);
  }
});
