import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

/**
 * How well a unit keeps to the SOP, over the cases reported in a window [from, to): one
 * statement per breakdown, run together in one round trip.
 *
 * - time to first request: from a case's report to the first platform request sent on it
 *   (cases with none sent are left out of the median and counted apart);
 * - steps on time: done steps closed by their deadline, among the done steps of those cases;
 * - open overdue: the cases' pending steps whose deadline has passed, as of now;
 * - turnaround: from a request's sending to the platform's first acknowledgement or action
 *   (read from its recorded transitions).
 * Minutes throughout; medians are continuous (the mean of the middle two for an even count).
 */

export interface MetricsWindow {
  unitCode: string;
  from: string;
  to: string;
}

export type StepFigures = { stepsDone: number; stepsDoneOnTime: number; openOverdueSteps: number };

export type StationMetricsRow = StepFigures & {
  /** True for the row that totals the whole unit. */
  total: boolean;
  stationCode: string | null;
  cases: number;
  casesWithRequestSent: number;
  medianMinutesToFirstRequestSent: number | null;
  requestsAnswered: number;
  medianTurnaroundMinutes: number | null;
};

export type PlatformMetricsRow = StepFigures & {
  platformKey: string;
  name: string | null;
  cases: number;
  requests: number;
  requestsSent: number;
  casesWithRequestSent: number;
  medianMinutesToFirstRequestSent: number | null;
  requestsAnswered: number;
  medianTurnaroundMinutes: number | null;
};

const casesInWindow = (window: MetricsWindow) => sql`
  select c.id, c.unit_id, c.station_code, c.reported_at
    from cases c join units u on u.id = c.unit_id
   where u.code = ${window.unitCode} and c.reported_at >= ${window.from}::timestamptz and c.reported_at < ${window.to}::timestamptz`;

/** Minutes from a request's sending to the platform's first acknowledgement or action; NULL while it has neither. */
const turnaroundMinutes = (r: string) =>
  sql.raw(`(select extract(epoch from min((e->>'at')::timestamptz) - ${r}.sent_at) / 60
              from jsonb_array_elements(${r}.transitions) e where e->>'status' in ('acknowledged', 'actioned'))`);

const stepFigures = (s: string) =>
  sql.raw(`count(*) filter (where ${s}.status = 'done') as done,
           count(*) filter (where ${s}.status = 'done' and ${s}.closed_at <= ${s}.due_at) as on_time,
           count(*) filter (where ${s}.status = 'pending' and ${s}.due_at < app.now()) as overdue`);

/** Per station holding the cases now (steps follow a transferred case), plus the unit's total. */
export function stationSopMetrics(db: HttpDatabase, window: MetricsWindow) {
  return db.execute<StationMetricsRow>(sql`
    with cases_in as (${casesInWindow(window)}
    ), per_case as (
      select ci.station_code,
             extract(epoch from (select min(r.sent_at) from platform_requests r where r.case_id = ci.id) - ci.reported_at) / 60 as to_first_sent,
             st.done, st.on_time, st.overdue
        from cases_in ci
        cross join lateral (select ${stepFigures('s')} from case_steps s where s.case_id = ci.id) st
    ), answered as (
      select ci.station_code, ${turnaroundMinutes('r')} as minutes
        from cases_in ci join platform_requests r on r.case_id = ci.id
       where r.sent_at is not null
    ), by_case as (
      select grouping(station_code) = 1 as total, station_code, count(*) as cases, count(to_first_sent) as with_sent,
             percentile_cont(0.5) within group (order by to_first_sent) as median_first,
             coalesce(sum(done), 0) as done, coalesce(sum(on_time), 0) as on_time, coalesce(sum(overdue), 0) as overdue
        from per_case group by grouping sets ((station_code), ())
    ), by_request as (
      select grouping(station_code) = 1 as total, station_code, count(minutes) as answered,
             percentile_cont(0.5) within group (order by minutes) as median_turnaround
        from answered group by grouping sets ((station_code), ())
    )
    select b.total, b.station_code as "stationCode", b.cases::int, b.with_sent::int as "casesWithRequestSent",
           b.median_first::float8 as "medianMinutesToFirstRequestSent", b.done::int as "stepsDone", b.on_time::int as "stepsDoneOnTime",
           b.overdue::int as "openOverdueSteps", coalesce(a.answered, 0)::int as "requestsAnswered", a.median_turnaround::float8 as "medianTurnaroundMinutes"
      from by_case b left join by_request a on a.total = b.total and a.station_code is not distinct from b.station_code
     order by b.total desc, b.station_code`);
}

/** Per directory key: the cases with at least one request to that platform, and those requests. */
export function platformSopMetrics(db: HttpDatabase, window: MetricsWindow) {
  return db.execute<PlatformMetricsRow>(sql`
    with cases_in as (${casesInWindow(window)}
    ), requests_in as (
      select r.platform_key, r.case_id, r.sent_at, ci.reported_at, ci.unit_id, ${turnaroundMinutes('r')} as turnaround
        from cases_in ci join platform_requests r on r.case_id = ci.id
    ), per_case as (
      select platform_key, case_id, unit_id, extract(epoch from min(sent_at) - min(reported_at)) / 60 as to_first_sent
        from requests_in group by platform_key, case_id, unit_id
    ), by_case as (
      select platform_key, unit_id, count(*) as cases, count(to_first_sent) as with_sent,
             percentile_cont(0.5) within group (order by to_first_sent) as median_first
        from per_case group by platform_key, unit_id
    ), by_request as (
      select platform_key, count(*) as requests, count(sent_at) as sent, count(turnaround) as answered,
             percentile_cont(0.5) within group (order by turnaround) as median_turnaround
        from requests_in group by platform_key
    ), by_step as (
      select pc.platform_key, ${stepFigures('s')}
        from per_case pc join case_steps s on s.case_id = pc.case_id
       group by pc.platform_key
    )
    select b.platform_key as "platformKey",
           (select d.name from platform_directory d where d.key = b.platform_key and (d.unit_id is null or d.unit_id = b.unit_id)
             order by d.unit_id nulls last limit 1) as name,
           b.cases::int, q.requests::int, q.sent::int as "requestsSent", b.with_sent::int as "casesWithRequestSent",
           b.median_first::float8 as "medianMinutesToFirstRequestSent",
           coalesce(st.done, 0)::int as "stepsDone", coalesce(st.on_time, 0)::int as "stepsDoneOnTime", coalesce(st.overdue, 0)::int as "openOverdueSteps",
           q.answered::int as "requestsAnswered", q.median_turnaround::float8 as "medianTurnaroundMinutes"
      from by_case b join by_request q on q.platform_key = b.platform_key left join by_step st on st.platform_key = b.platform_key
     order by b.platform_key`);
}

