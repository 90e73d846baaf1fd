import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';
import type { webhookSubscriptions } from '../schema.js';

export type WebhookSubscriptionRow = Pick<
  typeof webhookSubscriptions.$inferSelect,
  'id' | 'scope' | 'url' | 'eventTypes' | 'status' | 'disabledReason' | 'consecutiveFailures' | 'failingSince' | 'version' | 'createdAt' | 'updatedAt'
> & {
  unitCode: string;
  districtCode: string | null;
  stationCode: string | null;
  /** While a rotation's overlap lasts: deliveries carry a signature by each secret. */
  previousSecretExpiresAt: string | null;
};

/** Where a subscription listens: the whole unit, or one district or station of it. */
export type WebhookPlacement = { level: 'unit' } | { level: 'district'; districtCode: string } | { level: 'station'; stationCode: string };

const subscriptionColumns = sql.raw(`w.id, w.scope, w.url, w.event_types as "eventTypes", w.status, w.disabled_reason as "disabledReason",
  (select code from districts where id = w.district_id) as "districtCode",
  (select code from stations where id = w.station_id) as "stationCode",
  case when w.previous_secret_expires_at > app.now() then w.previous_secret_expires_at end as "previousSecretExpiresAt",
  w.consecutive_failures as "consecutiveFailures", w.failing_since as "failingSince",
  w.version, w.created_at as "createdAt", w.updated_at as "updatedAt"`);

const textArray = (values: string[]) => `{${values.join(',')}}`;

function placementCodes(placement: WebhookPlacement | undefined) {
  return {
    districtCode: placement?.level === 'district' ? placement.districtCode : null,
    stationCode: placement?.level === 'station' ? placement.stationCode : null,
  };
}

/** The unit's ids for a placement; a district or station of another unit resolves to none. */
function placementOf(unitCode: string, placement: WebhookPlacement | undefined) {
  const { districtCode, stationCode } = placementCodes(placement);
  return sql`
    select u.id as unit_id,
           (select d.id from districts d where d.unit_id = u.id and d.code = ${districtCode}) as district_id,
           (select s.id from stations s where s.unit_id = u.id and s.code = ${stationCode}) as station_id
      from units u where u.code = ${unitCode}`;
}

const placementResolved = (placement: WebhookPlacement | undefined) => {
  const { districtCode, stationCode } = placementCodes(placement);
  return sql`(${districtCode}::text is null or placement.district_id is not null) and (${stationCode}::text is null or placement.station_id is not null)`;
};

export function listWebhookSubscriptions(db: HttpDatabase, unitCode: string, page: { afterId?: string; limit: number }) {
  return db.execute<WebhookSubscriptionRow>(sql`
    select ${subscriptionColumns}, u.code as "unitCode"
      from webhook_subscriptions w join units u on u.id = w.unit_id
     where u.code = ${unitCode} and (${page.afterId ?? null}::uuid is null or w.id > ${page.afterId ?? null}::uuid)
     order by w.id limit ${page.limit + 1}`);
}

export function findWebhookSubscription(db: HttpDatabase, unitCode: string, id: string) {
  return db.execute<WebhookSubscriptionRow>(sql`
    select ${subscriptionColumns}, u.code as "unitCode"
      from webhook_subscriptions w join units u on u.id = w.unit_id
     where u.code = ${unitCode} and w.id = ${id}`);
}

/** For an update that found nothing: the subscription, if it exists and any new placement is in its unit. */
export function findUpdatableWebhookSubscription(db: HttpDatabase, unitCode: string, id: string, placement?: WebhookPlacement) {
  return db.execute<{ id: string }>(sql`
    with placement as (${placementOf(unitCode, placement)})
    select w.id from webhook_subscriptions w join placement on placement.unit_id = w.unit_id
     where w.id = ${id} and ${placementResolved(placement)}`);
}

export interface NewWebhookSubscription {
  url: string;
  placement: WebhookPlacement;
  eventTypes: string[];
  secret: string;
}

/** A district or station outside the unit creates nothing. */
/** The new subscription with its secret: the one response that shows it (and its replay under the same Idempotency-Key). */
export function createWebhookSubscription(db: HttpDatabase, actor: AuditActor, unitCode: string, subscription: NewWebhookSubscription) {
  const { secret: _secret, ...audited } = subscription;
  return db.execute<WebhookSubscriptionRow & { secret: string }>(sql`
    with placement as (${placementOf(unitCode, subscription.placement)}), changed as (
      insert into webhook_subscriptions as w (unit_id, scope, district_id, station_id, url, event_types, secret)
      select unit_id, ${subscription.placement.level}, district_id, station_id, ${subscription.url}, ${textArray(subscription.eventTypes)}::text[], ${subscription.secret}
        from placement
       where ${placementResolved(subscription.placement)}
      returning ${subscriptionColumns}, w.secret, w.unit_id, ${unitCode}::text as "unitCode"
    )${auditChangedRows(actor, { action: 'webhook.created', targetType: 'webhook_subscription', targetColumn: 'id', changes: audited })}`);
}

/** How the signing secret changes: replaced (the old one still signs for the overlap), or the old one dropped early. */
export type SigningSecretChange = { rotateTo: string; overlapSeconds: number } | { revokePrevious: true };

export interface WebhookSubscriptionChanges {
  url?: string;
  eventTypes?: string[];
  placement?: WebhookPlacement;
  /** Enabling starts the failure count afresh. */
  status?: { enabled: true } | { enabled: false; reason: string };
  secret?: SigningSecretChange;
}

export function updateWebhookSubscription(
  db: HttpDatabase,
  actor: AuditActor,
  unitCode: string,
  id: string,
  changes: WebhookSubscriptionChanges,
  expectedVersion: number[] | null,
  action = 'webhook.updated',
) {
  const { secret, status, ...audited } = changes;
  const rotateTo = secret && 'rotateTo' in secret ? secret.rotateTo : null;
  const overlapSeconds = secret && 'rotateTo' in secret ? secret.overlapSeconds : 0;
  const revokePrevious = secret !== undefined && 'revokePrevious' in secret;
  const overlapEnds = sql`app.now() + make_interval(secs => ${overlapSeconds}::int)`;
  const auditedSecret = rotateTo ? { secret: 'rotated', previousSecretValidForSeconds: overlapSeconds } : revokePrevious ? { previousSecret: 'revoked' } : {};
  const auditedStatus = status ? (status.enabled ? { status: 'enabled' } : { status: 'disabled', reason: status.reason }) : {};
  const enable = status?.enabled ?? null;
  const disabledReason = status && !status.enabled ? status.reason : null;
  const placed = changes.placement !== undefined;
  return db.execute<WebhookSubscriptionRow>(sql`
    with placement as (${placementOf(unitCode, changes.placement)}), changed as (
      update webhook_subscriptions w
         set url = coalesce(${changes.url ?? null}, w.url),
             event_types = coalesce(${changes.eventTypes ? textArray(changes.eventTypes) : null}::text[], w.event_types),
             scope = case when ${placed} then ${changes.placement?.level ?? null} else w.scope end,
             district_id = case when ${placed} then placement.district_id else w.district_id end,
             station_id = case when ${placed} then placement.station_id else w.station_id end,
             status = case when ${enable}::boolean is null then w.status when ${enable}::boolean then 'enabled' else 'disabled' end,
             disabled_reason = case when ${enable}::boolean is null then w.disabled_reason when ${enable}::boolean then null else ${disabledReason} end,
             consecutive_failures = case when ${enable}::boolean then 0 else w.consecutive_failures end,
             failing_since = case when ${enable}::boolean then null else w.failing_since end,
             secret = coalesce(${rotateTo}, w.secret),
             previous_secret = case when ${rotateTo}::text is not null then case when ${overlapSeconds}::int > 0 then w.secret end
                                    when ${revokePrevious} then null else w.previous_secret end,
             previous_secret_expires_at = case when ${rotateTo}::text is not null then case when ${overlapSeconds}::int > 0 then ${overlapEnds} end
                                               when ${revokePrevious} then null else w.previous_secret_expires_at end,
             updated_at = app.now(), version = w.version + 1
        from placement
       where placement.unit_id = w.unit_id and w.id = ${id} and ${placementResolved(changes.placement)}
         and (${expectedVersion === null} or w.version = any(${`{${(expectedVersion ?? []).join(',')}}`}::int[]))
      returning ${subscriptionColumns}, w.unit_id, ${unitCode}::text as "unitCode"
    )${auditChangedRows(actor, { action, targetType: 'webhook_subscription', targetColumn: 'id', changes: { ...audited, ...auditedStatus, ...auditedSecret } })}`);
}
