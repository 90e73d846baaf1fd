import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import type { webhookDeliveries, webhookDeliveryAttempts } from '../schema.js';

export type WebhookDeliveryStatus = (typeof webhookDeliveries.$inferSelect)['status'];

export type WebhookDeliveryRow = Pick<
  typeof webhookDeliveries.$inferSelect,
  'id' | 'eventId' | 'status' | 'attempts' | 'nextAttemptAt' | 'lastAttemptAt' | 'lastResponseStatus' | 'lastError' | 'deliveredAt' | 'createdAt'
> & { eventType: string; occurredAt: string };

export type WebhookDeliveryAttemptRow = Pick<typeof webhookDeliveryAttempts.$inferSelect, 'attemptNumber' | 'attemptedAt' | 'outcome' | 'responseStatus' | 'error' | 'durationMs'>;

const deliveryColumns = sql.raw(`d.id, d.event_id as "eventId", e.type as "eventType", e.occurred_at as "occurredAt", d.status, d.attempts,
  d.next_attempt_at as "nextAttemptAt", d.last_attempt_at as "lastAttemptAt", d.last_response_status as "lastResponseStatus",
  d.last_error as "lastError", d.delivered_at as "deliveredAt", d.created_at as "createdAt"`);

const ofSubscription = (unitCode: string, subscriptionId: string) => sql`
  d.subscription_id = ${subscriptionId} and d.unit_id = (select id from units where code = ${unitCode})`;

/** Newest first, by id (the order deliveries were made): a replay re-queues a delivery where it stands. */
export function listWebhookDeliveries(db: HttpDatabase, unitCode: string, subscriptionId: string, page: { status?: WebhookDeliveryStatus; beforeId?: string; limit: number }) {
  return db.execute<WebhookDeliveryRow>(sql`
    select ${deliveryColumns}
      from webhook_deliveries d join integration_events e on e.id = d.event_id
     where ${ofSubscription(unitCode, subscriptionId)}
       and (${page.status ?? null}::text is null or d.status = ${page.status ?? null})
       and (${page.beforeId ?? null}::uuid is null or d.id < ${page.beforeId ?? null}::uuid)
     order by d.id desc limit ${page.limit + 1}`);
}

export function findWebhookDelivery(db: HttpDatabase, unitCode: string, subscriptionId: string, deliveryId: string) {
  return db.execute<WebhookDeliveryRow>(sql`
    select ${deliveryColumns}
      from webhook_deliveries d join integration_events e on e.id = d.event_id
     where ${ofSubscription(unitCode, subscriptionId)} and d.id = ${deliveryId}`);
}

export function listWebhookDeliveryAttempts(db: HttpDatabase, unitCode: string, subscriptionId: string, deliveryId: string) {
  return db.execute<WebhookDeliveryAttemptRow>(sql`
    select a.attempt_number as "attemptNumber", a.attempted_at as "attemptedAt", a.outcome, a.response_status as "responseStatus",
           a.error, a.duration_ms as "durationMs"
      from webhook_delivery_attempts a join webhook_deliveries d on d.id = a.delivery_id
     where ${ofSubscription(unitCode, subscriptionId)} and d.id = ${deliveryId}
     order by a.attempt_number`);
}
