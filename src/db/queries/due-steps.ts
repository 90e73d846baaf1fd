import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { stepColumns, type CaseStepRow } from './case-steps.js';

export type DueState = 'overdue' | 'due_soon' | 'later';

export type DueStepRow = CaseStepRow & {
  caseId: string;
  stationCode: string;
  caseStatus: string;
  escalatedRole: string | null;
  state: DueState;
  cursorAt: string;
};

export type DueCountsRow = { overdue: number; dueSoon: number; later: number; escalated: number };

export type DueScope = { stationCode: string } | { districtCode: string } | { unitCode: string };

/** Which pending steps of a scope a due list is about; its counts cover all of them. */
export interface DueFilter {
  scope: DueScope;
  /** A step is due soon when its deadline lies within this many minutes of the request clock (app.now()). */
  soonMinutes: number;
  before?: string;
  ownerRole?: string;
  escalatedTo?: string;
  /** Steps escalated to any of these roles (the caller's own). */
  escalatedToAnyOf?: readonly string[];
}

export interface DueQuery extends DueFilter {
  /** Only the overdue and due-soon steps ("due now"); otherwise every pending step. */
  dueNowOnly: boolean;
  after?: { dueAt: string; id: string };
  limit: number;
}

function scopeCondition(scope: DueScope) {
  return 'stationCode' in scope
    ? sql`s.station_id = (select id from stations where code = ${scope.stationCode})`
    : 'districtCode' in scope
      ? sql`s.district_id = (select id from districts where code = ${scope.districtCode})`
      : sql`s.unit_id = (select id from units where code = ${scope.unitCode})`;
}

const soonUntil = (filter: DueFilter) => sql`(app.now() + make_interval(mins => ${filter.soonMinutes}))`;

function filterConditions(filter: DueFilter) {
  return sql`${scopeCondition(filter.scope)} and s.status = 'pending'
       ${filter.before ? sql`and s.due_at < ${filter.before}::timestamptz` : sql``}
       ${filter.ownerRole ? sql`and s.owner_role = ${filter.ownerRole}` : sql``}
       ${filter.escalatedTo ? sql`and s.escalated_role = ${filter.escalatedTo}` : sql``}
       ${filter.escalatedToAnyOf ? sql`and s.escalated_role = any(${`{${filter.escalatedToAnyOf.join(',')}}`}::text[])` : sql``}`;
}

/**
 * Pending steps across a station, district or unit, soonest (most overdue) first: walks the
 * partial index of pending steps for that scope (or of escalated ones), so closed cases and done
 * steps cost nothing.
 */
export function listDueSteps(db: HttpDatabase, query: DueQuery) {
  return db.execute<DueStepRow>(sql`
    select ${stepColumns('s')}, s.case_id as "caseId", c.station_code as "stationCode", c.status as "caseStatus",
           s.escalated_role as "escalatedRole",
           case when s.due_at < app.now() then 'overdue' when s.due_at < ${soonUntil(query)} then 'due_soon' else 'later' end as state,
           to_char(s.due_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "cursorAt"
      from case_steps s join cases c on c.id = s.case_id
     where ${filterConditions(query)}
       ${query.dueNowOnly ? sql`and s.due_at < ${soonUntil(query)}` : sql``}
       ${query.after ? sql`and (s.due_at, s.id) > (${query.after.dueAt}::timestamptz, ${query.after.id}::uuid)` : sql``}
     order by s.due_at, s.id
     limit ${query.limit + 1}`);
}

/** How many of the filter's steps are overdue, due soon, later and escalated: the whole scope, whatever the page. */
export function countDueSteps(db: HttpDatabase, filter: DueFilter) {
  return db.execute<DueCountsRow>(sql`
    select count(*) filter (where s.due_at < app.now())::integer as overdue,
           count(*) filter (where s.due_at >= app.now() and s.due_at < ${soonUntil(filter)})::integer as "dueSoon",
           count(*) filter (where s.due_at >= ${soonUntil(filter)})::integer as later,
           count(*) filter (where s.escalation_level > 0)::integer as escalated
      from case_steps s
     where ${filterConditions(filter)}`);
}

/** Whether the station, district or unit a due list names is one the caller may see (else 404). */
export function dueScopeVisible(db: HttpDatabase, scope: DueScope) {
  const lookup =
    'stationCode' in scope
      ? sql`select 1 from stations where code = ${scope.stationCode}`
      : 'districtCode' in scope
        ? sql`select 1 from districts where code = ${scope.districtCode}`
        : sql`select 1 from units where code = ${scope.unitCode}`;
  return db.execute<{ visible: boolean }>(sql`select exists (${lookup}) as visible`);
}
