import { sql, type SQL } from 'drizzle-orm';
import type { CaseStatus } from '../../cases/workflow.js';
import type { HttpDatabase } from '../client.js';

export interface CaseListFilter {
  /** Cases held now by this station or district (codes of the caller's unit). */
  stationCode?: string;
  districtCode?: string;
  /** The caller's own station or district, when the list keeps to what it holds now (the index it walks). */
  holder?: { stationCode: string } | { districtCode: string };
  status?: CaseStatus[];
  assignedTo?: string;
  platform?: string;
  victimIsMinor?: boolean;
  reportedFrom?: string;
  reportedBefore?: string;
  identifier?: { kind: string; normalized: string };
  after?: { reportedAt: string; id: string };
  limit: number;
}

export type CaseListRow = {
  id: string;
  status: CaseStatus;
  stationCode: string;
  reportedStationCode: string;
  reportedAt: string;
  victimIsMinor: boolean;
  platforms: string[];
  imagesCirculated: boolean;
  amountPaid: string | number;
  currency: string;
  assignedOfficer: { subject: string; name: string } | null;
  version: number;
  updatedAt: string;
  /** reported_at to the microsecond, for the keyset cursor (a JS Date would drop the microseconds). */
  cursorAt: string;
};

/**
 * Newest first, keyset on (reported_at, id); NULLS LAST as the indexes are built, or Postgres
 * sorts instead of walking them. Each filter is written so an index can carry
 * it (see the README's index list); row-level security adds the caller's tenancy on top.
 */
export function listCases(db: HttpDatabase, filter: CaseListFilter) {
  const conditions: SQL[] = [];
  const station = (code: string) => sql`c.station_id = (select s.id from app.station_in_current_unit(${code}) s)`;
  const district = (code: string) => sql`c.district_id = app.district_in_current_unit(${code})`;
  if (filter.holder) conditions.push('stationCode' in filter.holder ? station(filter.holder.stationCode) : district(filter.holder.districtCode));
  if (filter.stationCode) conditions.push(station(filter.stationCode));
  if (filter.districtCode) conditions.push(district(filter.districtCode));
  if (filter.status) conditions.push(sql`c.status = any(${`{${filter.status.join(',')}}`}::text[])`);
  if (filter.assignedTo) conditions.push(sql`c.assigned_officer_subject = ${filter.assignedTo}`);
  if (filter.platform) conditions.push(sql`c.platforms @> array[${filter.platform}]::text[]`);
  if (filter.victimIsMinor !== undefined) conditions.push(sql`c.victim_is_minor = ${filter.victimIsMinor}`);
  if (filter.reportedFrom) conditions.push(sql`c.reported_at >= ${filter.reportedFrom}::timestamptz`);
  if (filter.reportedBefore) conditions.push(sql`c.reported_at < ${filter.reportedBefore}::timestamptz`);
  if (filter.identifier) {
    conditions.push(sql`c.id in (select i.case_id from case_identifiers i
      where i.unit_id = app.current_unit_id() and i.kind = ${filter.identifier.kind} and i.normalized = ${filter.identifier.normalized})`);
  }
  if (filter.after) conditions.push(sql`(c.reported_at, c.id) < (${filter.after.reportedAt}::timestamptz, ${filter.after.id}::uuid)`);
  const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  return db.execute<CaseListRow>(sql`
    select c.id, c.status, c.station_code as "stationCode", c.reported_station_code as "reportedStationCode", c.reported_at as "reportedAt",
           c.victim_is_minor as "victimIsMinor", c.platforms, c.images_circulated as "imagesCirculated", c.amount_paid as "amountPaid",
           c.currency, c.assigned_officer as "assignedOfficer", c.version, c.updated_at as "updatedAt",
           to_char(c.reported_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorAt"
      from cases c ${where}
     order by c.reported_at desc nulls last, c.id desc nulls last
     limit ${filter.limit + 1}`);
}
