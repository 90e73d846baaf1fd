import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

/**
 * How well a unit keeps to the SOP, over the cases reported in a window [from, to): one
 * statement per breakdown, run together in one round trip. Minutes throughout, to two decimals;
 * medians and 90th percentiles are continuous (interpolated between the two nearest values), and a
 * duration is taken only over the cases or requests that reached its end.
 *
 * Per station and for the unit:
 * - time to first request: report → first platform request sent on the case;
 * - time to first evidence: report → earliest capture time of its evidence items;
 * - time to the 1930 report: report → the earlier of the first helpline ticket reference
 *   (issued, or recorded when no issue time was given) and the `report-1930` step closed done;
 * - time to the FIR: report → first FIR reference (issued, or recorded);
 *   the three above count something done before the report as 0 minutes;
 * - steps on time: done steps closed by their deadline; open overdue: pending steps past it now;
 * - turnaround: a sent request's sending → the platform's first answer (`responded_at`).
 *
 * Per platform, over every case it was involved in (named in the case's platforms, or sent a
 * request): the same request figures for requests to it alone, the cases never sent one, the
 * requests whose platform deadline was missed, and the steps taken for that platform.
 */

export interface MetricsWindow {
  unitCode: string;
  /** Only the cases a district holds now; null for the whole unit. */
  districtCode: string | null;
  from: string;
  to: string;
}

export type StepFigures = { stepsDone: number; stepsDoneOnTime: number; openOverdueSteps: number };

export type RequestFigures = StepFigures & {
  cases: number;
  casesWithRequestSent: number;
  medianMinutesToFirstRequestSent: number | null;
  p90MinutesToFirstRequestSent: number | null;
  requestsAnswered: number;
  medianTurnaroundMinutes: number | null;
  p90TurnaroundMinutes: number | null;
};

/** How many cases reached a milestone, and how long after the report. */
export type Milestone = { cases: number; medianMinutes: number | null; p90Minutes: number | null };

export type StationMetricsRow = RequestFigures & {
  /** True for the row that totals the whole unit. */
  total: boolean;
  stationCode: string | null;
  firstEvidence: Milestone;
  report1930: Milestone;
  fir: Milestone;
};

export type PlatformMetricsRow = RequestFigures & {
  platformKey: string;
  name: string | null;
  requests: number;
  requestsSent: number;
  deadlinesMissed: number;
};

const casesInWindow = (window: MetricsWindow) => sql`
  select c.id, c.unit_id, c.station_code, c.reported_at, c.platforms
    from cases c join units u on u.id = c.unit_id
   where u.code = ${window.unitCode} and c.reported_at >= ${window.from}::timestamptz and c.reported_at < ${window.to}::timestamptz
     and (${window.districtCode}::text is null
          or c.district_id = (select d.id from districts d join units du on du.id = d.unit_id where du.code = ${window.unitCode} and d.code = ${window.districtCode}))`;

const minutesBetween = (start: string, end: string) => `extract(epoch from (${end}) - (${start})) / 60`;
/** Minutes to something that may precede the report (evidence the victim captured, a 1930 call made first): 0 then. Not greatest(0, …), which turns NULL into 0. */
const minutesSinceReport = (reportedAt: string, end: string) => `case when ${end} < ${reportedAt} then 0 else ${minutesBetween(reportedAt, end)} end`;

const stepFigures = (s: string) =>
  sql.raw(`count(*) filter (where ${s}.status = 'done') as done,
           count(*) filter (where ${s}.status = 'done' and ${s}.closed_at <= ${s}.due_at) as on_time,
           count(*) filter (where ${s}.status = 'pending' and ${s}.due_at < app.now()) as overdue`);

const percentile = (fraction: number, minutes: string) => `round((percentile_cont(${fraction}) within group (order by ${minutes}))::numeric, 2)`;
const percentiles = (minutes: string, prefix: string) => `${percentile(0.5, minutes)} as ${prefix}_median, ${percentile(0.9, minutes)} as ${prefix}_p90`;

const milestoneJson = (prefix: string) =>
  `json_build_object('cases', b.${prefix}_cases, 'medianMinutes', b.${prefix}_median, 'p90Minutes', b.${prefix}_p90)`;

const referenceTime = (ci: string, kind: string) =>
  `(select min(coalesce(x.issued_at, x.created_at)) from case_references x where x.case_id = ${ci}.id and x.kind = '${kind}')`;

/** Per station holding the cases now (steps follow a transferred case), plus the unit's total. */
export function stationSopMetrics(db: HttpDatabase, window: MetricsWindow) {
  return db.execute<StationMetricsRow>(sql`
    with cases_in as (${casesInWindow(window)}
    ), milestones as (
      select ci.station_code, ci.reported_at,
             (select min(r.sent_at) from platform_requests r where r.case_id = ci.id) as first_sent_at,
             (select min(e.captured_at) from evidence_items e where e.case_id = ci.id) as evidence_at,
             least(${sql.raw(referenceTime('ci', 'helpline_ticket'))},
                   (select min(s.closed_at) from case_steps s where s.case_id = ci.id and s.definition_key = 'report-1930' and s.status = 'done')) as report1930_at,
             ${sql.raw(referenceTime('ci', 'fir'))} as fir_at,
             st.done, st.on_time, st.overdue
        from cases_in ci
        cross join lateral (select ${stepFigures('s')} from case_steps s where s.case_id = ci.id) st
    ), per_case as (
      select station_code, ${sql.raw(minutesBetween('reported_at', 'first_sent_at'))} as to_first_sent,
             ${sql.raw(minutesSinceReport('reported_at', 'evidence_at'))} as to_evidence,
             ${sql.raw(minutesSinceReport('reported_at', 'report1930_at'))} as to_1930,
             ${sql.raw(minutesSinceReport('reported_at', 'fir_at'))} as to_fir,
             done, on_time, overdue
        from milestones
    ), answered as (
      select ci.station_code, ${sql.raw(minutesBetween('r.sent_at', 'r.responded_at'))} as minutes
        from cases_in ci join platform_requests r on r.case_id = ci.id
       where r.sent_at is not null
    ), by_case as (
      select grouping(station_code) = 1 as total, station_code, count(*) as cases, count(to_first_sent) as with_sent,
             ${sql.raw(percentiles('to_first_sent', 'first'))},
             count(to_evidence) as evidence_cases, ${sql.raw(percentiles('to_evidence', 'evidence'))},
             count(to_1930) as report1930_cases, ${sql.raw(percentiles('to_1930', 'report1930'))},
             count(to_fir) as fir_cases, ${sql.raw(percentiles('to_fir', 'fir'))},
             coalesce(sum(done), 0) as done, coalesce(sum(on_time), 0) as on_time, coalesce(sum(overdue), 0) as overdue
        from per_case group by grouping sets ((station_code), ())
    ), by_request as (
      select grouping(station_code) = 1 as total, station_code, count(minutes) as answered, ${sql.raw(percentiles('minutes', 'turnaround'))}
        from answered group by grouping sets ((station_code), ())
    )
    select b.total, b.station_code as "stationCode", b.cases::int, b.with_sent::int as "casesWithRequestSent",
           b.first_median::float8 as "medianMinutesToFirstRequestSent", b.first_p90::float8 as "p90MinutesToFirstRequestSent",
           b.done::int as "stepsDone", b.on_time::int as "stepsDoneOnTime", b.overdue::int as "openOverdueSteps",
           coalesce(a.answered, 0)::int as "requestsAnswered",
           a.turnaround_median::float8 as "medianTurnaroundMinutes", a.turnaround_p90::float8 as "p90TurnaroundMinutes",
           ${sql.raw(milestoneJson('evidence'))} as "firstEvidence", ${sql.raw(milestoneJson('report1930'))} as "report1930", ${sql.raw(milestoneJson('fir'))} as "fir"
      from by_case b left join by_request a on a.total = b.total and a.station_code is not distinct from b.station_code
     order by b.total desc, b.station_code`);
}

/** Per directory key, over the cases it was involved in: its requests, and the steps taken for it. */
export function platformSopMetrics(db: HttpDatabase, window: MetricsWindow) {
  return db.execute<PlatformMetricsRow>(sql`
    with cases_in as (${casesInWindow(window)}
    ), requests_in as (
      select r.platform_key, r.case_id, r.sent_at, r.deadline_missed_at, ${sql.raw(minutesBetween('r.sent_at', 'r.responded_at'))} as turnaround
        from cases_in ci join platform_requests r on r.case_id = ci.id
    ), involved as (
      select ci.id as case_id, ci.unit_id, ci.reported_at, p.platform_key
        from cases_in ci cross join lateral unnest(ci.platforms) as p(platform_key)
      union
      select ci.id, ci.unit_id, ci.reported_at, r.platform_key
        from cases_in ci join requests_in r on r.case_id = ci.id
    ), per_case as (
      select i.platform_key, i.unit_id,
             ${sql.raw(minutesBetween('i.reported_at', '(select min(r.sent_at) from requests_in r where r.case_id = i.case_id and r.platform_key = i.platform_key)'))} as to_first_sent
        from involved i
    ), by_case as (
      select platform_key, unit_id, count(*) as cases, count(to_first_sent) as with_sent, ${sql.raw(percentiles('to_first_sent', 'first'))}
        from per_case group by platform_key, unit_id
    ), by_request as (
      select platform_key, count(*) as requests, count(sent_at) as sent, count(turnaround) as answered,
             ${sql.raw(percentiles('turnaround', 'turnaround'))}, count(deadline_missed_at) as missed
        from requests_in group by platform_key
    ), by_step as (
      select i.platform_key, ${stepFigures('s')}
        from involved i join case_steps s on s.case_id = i.case_id and s.platform_key = i.platform_key
       group by i.platform_key
    )
    select b.platform_key as "platformKey",
           (select d.name from platform_directory d where d.key = b.platform_key and (d.unit_id is null or d.unit_id = b.unit_id)
             order by d.unit_id nulls last limit 1) as name,
           b.cases::int, coalesce(q.requests, 0)::int as requests, coalesce(q.sent, 0)::int as "requestsSent", b.with_sent::int as "casesWithRequestSent",
           b.first_median::float8 as "medianMinutesToFirstRequestSent", b.first_p90::float8 as "p90MinutesToFirstRequestSent",
           coalesce(st.done, 0)::int as "stepsDone", coalesce(st.on_time, 0)::int as "stepsDoneOnTime", coalesce(st.overdue, 0)::int as "openOverdueSteps",
           coalesce(q.answered, 0)::int as "requestsAnswered", q.turnaround_median::float8 as "medianTurnaroundMinutes", q.turnaround_p90::float8 as "p90TurnaroundMinutes",
           coalesce(q.missed, 0)::int as "deadlinesMissed"
      from by_case b left join by_request q on q.platform_key = b.platform_key left join by_step st on st.platform_key = b.platform_key
     order by b.platform_key`);
}
