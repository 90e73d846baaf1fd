import { z } from '@hono/zod-openapi';
import type { WebhookDeliveryAttemptRow, WebhookDeliveryRow } from '../../db/queries/webhook-delivery-log.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { webhookPathSchema } from './webhook-schema.js';

export const webhookDeliveryStatusSchema = z.enum(['pending', 'delivered', 'failed']).openapi({
  description: 'pending: an attempt is due at nextAttemptAt (or in flight); delivered: the receiver answered 2xx; failed: the retry schedule ran out (a replay queues it again).',
});

export const webhookDeliverySchema = z
  .object({
    id: z.uuid(),
    eventId: z.uuid().openapi({ description: 'Also the webhook-id header of every attempt: the receiver\'s key for telling a redelivery from a new event.' }),
    eventType: z.string(),
    occurredAt: timestampSchema.openapi({ description: 'When the event happened.' }),
    status: webhookDeliveryStatusSchema,
    attemptCount: z.number().int().openapi({ description: 'Every attempt made, replays included.' }),
    nextAttemptAt: timestampSchema.nullable().openapi({ description: 'Null unless pending.' }),
    lastAttemptAt: timestampSchema.nullable(),
    lastResponseStatus: z.number().int().nullable().openapi({ description: 'The receiver\'s HTTP status at the last attempt; null when none came back.' }),
    lastError: z.string().nullable(),
    deliveredAt: timestampSchema.nullable().openapi({ description: 'The last time the receiver accepted it.' }),
    createdAt: timestampSchema,
  })
  .openapi('WebhookDelivery');

export const webhookDeliveryAttemptSchema = z
  .object({
    attemptNumber: z.number().int(),
    attemptedAt: timestampSchema,
    outcome: z.enum(['delivered', 'failed', 'refused']).openapi({ description: 'refused: not sent, since the receiver\'s address is not one deliveries may go to.' }),
    responseStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
  })
  .openapi('WebhookDeliveryAttempt');

export const webhookDeliveryPathSchema = webhookPathSchema.extend({
  deliveryId: z.uuid().openapi({ param: { name: 'deliveryId', in: 'path' } }),
});

const toTimestamp = (value: string | null) => value && toRfc3339(value);

export function toWebhookDelivery(row: WebhookDeliveryRow): z.infer<typeof webhookDeliverySchema> {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    occurredAt: toRfc3339(row.occurredAt),
    status: row.status,
    attemptCount: row.attempts,
    nextAttemptAt: row.status === 'pending' ? toRfc3339(row.nextAttemptAt) : null,
    lastAttemptAt: toTimestamp(row.lastAttemptAt),
    lastResponseStatus: row.lastResponseStatus,
    lastError: row.lastError,
    deliveredAt: toTimestamp(row.deliveredAt),
    createdAt: toRfc3339(row.createdAt),
  };
}

export function toWebhookDeliveryAttempt(row: WebhookDeliveryAttemptRow): z.infer<typeof webhookDeliveryAttemptSchema> {
  return { ...row, attemptedAt: toRfc3339(row.attemptedAt) };
}
