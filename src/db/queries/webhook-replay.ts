import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';

/** What to send again: one event, or every event that happened in [from, to). */
export type ReplayTarget = { eventId: string } | { from: string; to: string };

/** The rule dispatch fans out by (app.webhook_receives): the subscription's types name the event and its scope holds it. */
const subscriptionReceives = sql.raw(`app.webhook_receives(w.event_types, w.scope, w.district_id, w.station_id, e.type, e.district_id, e.station_id)`);

const subscriptionOf = (unitCode: string, subscriptionId: string) => sql`
  select w.* from webhook_subscriptions w join units u on u.id = w.unit_id where u.code = ${unitCode} and w.id = ${subscriptionId}`;

function targetValues(target: ReplayTarget) {
  return 'eventId' in target ? { eventId: target.eventId, from: null, to: null } : { eventId: null, from: target.from, to: target.to };
}

/**
 * Queues the target's events again for one enabled subscription: a delivery for each event it
 * receives, or, where one exists, that delivery pending again with a fresh retry schedule, due
 * now. Audited once, with the count. No row when the subscription is not there or disabled, or
 * when the one event named is not one it receives (replayRefusal says which).
 */
export function replayWebhookEvents(db: HttpDatabase, actor: AuditActor, unitCode: string, subscriptionId: string, target: ReplayTarget) {
  const { eventId, from, to } = targetValues(target);
  return db.execute<{ id: string; replayed: number; deliveryIds: string[] }>(sql`
    with w as (${subscriptionOf(unitCode, subscriptionId)}), queued as (
      insert into webhook_deliveries as d (unit_id, subscription_id, event_id)
      select w.unit_id, w.id, e.id
        from w join integration_events e on e.unit_id = w.unit_id
       where w.status = 'enabled' and ${subscriptionReceives}
         and (${eventId}::uuid is null or e.id = ${eventId}::uuid)
         and (${from}::timestamptz is null or (e.occurred_at >= ${from}::timestamptz and e.occurred_at < ${to}::timestamptz))
      on conflict on constraint webhook_deliveries_subscription_event_unique do update
         set status = 'pending', schedule_attempts = 0, next_attempt_at = app.now(), leased_until = null, updated_at = app.now(), version = d.version + 1
      returning d.id
    ), changed as (
      select w.id, w.unit_id, (select count(*)::int from queued) as replayed, coalesce((select array_agg(id) from queued), '{}') as "deliveryIds"
        from w
       where w.status = 'enabled' and (${eventId}::uuid is null or exists (select from queued))
    )${auditChangedRows(actor, {
      action: 'webhook.replayed',
      targetType: 'webhook_subscription',
      targetColumn: 'id',
      changes: sql`jsonb_strip_nulls(jsonb_build_object('eventId', ${eventId}::uuid, 'from', ${from}::timestamptz, 'to', ${to}::timestamptz, 'replayed', changed.replayed))`,
    })}`);
}

/** Why a replay queued nothing: whether the subscription is there and enabled, and whether the unit holds the event and the subscription receives it. */
export function replayRefusal(db: HttpDatabase, unitCode: string, subscriptionId: string, eventId: string | null) {
  return db.execute<{ status: 'enabled' | 'disabled'; eventFound: boolean; eventReceived: boolean }>(sql`
    with w as (${subscriptionOf(unitCode, subscriptionId)})
    select w.status, e.id is not null as "eventFound", coalesce(${subscriptionReceives}, false) as "eventReceived"
      from w left join integration_events e on e.unit_id = w.unit_id and e.id = ${eventId}::uuid`);
}
