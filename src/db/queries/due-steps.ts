import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { stepColumns, type CaseStepRow } from './case-steps.js';

export type DueStepRow = CaseStepRow & { caseId: string; stationCode: string; caseStatus: string; cursorAt: string };

export interface DueQuery {
  scope: { stationCode: string } | { districtCode: string } | { unitCode: string };
  before?: string;
  ownerRole?: string;
  after?: { dueAt: string; id: string };
  limit: number;
}

/**
 * Pending steps across a station, district or unit, soonest (most overdue) first: walks the
 * partial index of pending steps for that scope, so closed cases and done steps cost nothing.
 */
export function listDueSteps(db: HttpDatabase, query: DueQuery) {
  const scope =
    'stationCode' in query.scope
      ? sql`s.station_id = (select id from stations where code = ${query.scope.stationCode})`
      : 'districtCode' in query.scope
        ? sql`s.district_id = (select id from districts where code = ${query.scope.districtCode})`
        : sql`s.unit_id = (select id from units where code = ${query.scope.unitCode})`;
  return db.execute<DueStepRow>(sql`
    select ${stepColumns('s')}, s.case_id as "caseId", c.station_code as "stationCode", c.status as "caseStatus",
           to_char(s.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorAt"
      from case_steps s join cases c on c.id = s.case_id
     where ${scope} and s.status = 'pending'
       ${query.before ? sql`and s.due_at < ${query.before}::timestamptz` : sql``}
       ${query.ownerRole ? sql`and s.owner_role = ${query.ownerRole}` : sql``}
       ${query.after ? sql`and (s.due_at, s.id) > (${query.after.dueAt}::timestamptz, ${query.after.id}::uuid)` : sql``}
     order by s.due_at, s.id
     limit ${query.limit + 1}`);
}

/** Whether the station, district or unit a due list names is one the caller may see (else 404). */
export function dueScopeVisible(db: HttpDatabase, scope: DueQuery['scope']) {
  const lookup =
    'stationCode' in scope
      ? sql`select 1 from stations where code = ${scope.stationCode}`
      : 'districtCode' in scope
        ? sql`select 1 from districts where code = ${scope.districtCode}`
        : sql`select 1 from units where code = ${scope.unitCode}`;
  return db.execute<{ visible: boolean }>(sql`select exists (${lookup}) as visible`);
}
