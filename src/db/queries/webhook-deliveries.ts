import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

/** Events fanned out to the subscriptions they match: how many events were taken, and the deliveries made. */
export function dispatchIntegrationEvents(db: HttpDatabase, now: Date, limit: number) {
  return db.execute<{ events: number; deliveries: string[] }>(sql`select events, deliveries from app.dispatch_integration_events(${now.toISOString()}::timestamptz, ${limit})`);
}

export function dueWebhookDeliveries(db: HttpDatabase, now: Date, limit: number) {
  return db.execute<{ id: string }>(sql`select id from app.due_webhook_deliveries(${now.toISOString()}::timestamptz, ${limit}) as id`);
}

export type ClaimedDelivery = {
  deliveryId: string;
  scheduleAttempts: number;
  url: string;
  secrets: string[];
  eventId: string;
  eventType: string;
  occurredAt: string;
  caseId: string | null;
  districtId: string | null;
  stationId: string | null;
  payload: Record<string, unknown>;
};

/** Holds a due delivery for one attempt (no row when it is not there to take). */
export function claimWebhookDelivery(db: HttpDatabase, deliveryId: string, now: Date, leaseSeconds: number) {
  return db.execute<ClaimedDelivery>(sql`
    select delivery_id as "deliveryId", schedule_attempts as "scheduleAttempts", url, secrets, event_id as "eventId", event_type as "eventType",
           occurred_at as "occurredAt", case_id as "caseId", district_id as "districtId", station_id as "stationId", payload
      from app.claim_webhook_delivery(${deliveryId}::uuid, ${now.toISOString()}::timestamptz, ${leaseSeconds})`);
}

export interface AttemptRecord {
  deliveryId: string;
  now: Date;
  outcome: 'delivered' | 'failed' | 'refused';
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
  /** Null once the schedule has run out (or the attempt delivered). */
  retryInSeconds: number | null;
  disableAfterFailures: number;
  disableAfterSeconds: number;
}

export function recordWebhookAttempt(db: HttpDatabase, record: AttemptRecord) {
  return db.execute<{ status: 'pending' | 'delivered' | 'failed'; subscriptionDisabled: boolean }>(sql`
    select status, subscription_disabled as "subscriptionDisabled"
      from app.record_webhook_attempt(${record.deliveryId}::uuid, ${record.now.toISOString()}::timestamptz, ${record.outcome}, ${record.responseStatus}::integer,
                                      ${record.error}, ${record.durationMs}, ${record.retryInSeconds}::integer,
                                      ${record.disableAfterFailures}, ${record.disableAfterSeconds})`);
}
