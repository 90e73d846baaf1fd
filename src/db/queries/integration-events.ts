import { SQL, sql } from 'drizzle-orm';
import type { TenantScope } from '../../tenancy/scope.js';
import type { HttpDatabase } from '../client.js';

export type IntegrationEventRow = {
  id: string;
  type: string;
  occurredAt: string;
  caseId: string | null;
  districtId: string | null;
  stationId: string | null;
  payload: Record<string, unknown>;
  transactionId: string;
};

/** A place in the feed: after this transaction's event with this id. */
export interface FeedPosition {
  transactionId: string;
  id: string;
}

/** Row-level security's scope, spelled out so the planner reads the station's or district's own index. */
const scopeCondition: Record<TenantScope['level'], SQL> = {
  platform: sql`and false`,
  unit: sql``,
  district: sql`and e.district_id = app.current_district_id()`,
  station: sql`and e.station_id = app.current_station_id()`,
};

/**
 * The caller's events (row-level security scopes them to its unit, district or station) in
 * commit order: by writing transaction, then id, and only from transactions older than every one
 * still running, so an event that commits later can never land behind a position already read.
 */
export function readEventFeed(db: HttpDatabase, level: TenantScope['level'], page: { after: FeedPosition; types: readonly string[] | null; limit: number }) {
  const { after } = page;
  return db.execute<IntegrationEventRow>(sql`
    select e.id, e.type, e.occurred_at as "occurredAt", e.case_id as "caseId", e.district_id as "districtId", e.station_id as "stationId",
           e.payload, e.transaction_id::text as "transactionId"
      from integration_events e
     where e.unit_id = app.current_unit_id() ${scopeCondition[level]}
       and (e.transaction_id, e.id) > (${after.transactionId}::bigint, ${after.id}::uuid)
       and e.transaction_id < (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint
       and (${page.types === null}::boolean or e.type = any(${`{${(page.types ?? []).join(',')}}`}::text[]))
     order by e.transaction_id, e.id
     limit ${page.limit}`);
}
