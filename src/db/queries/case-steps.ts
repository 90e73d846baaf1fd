import type { StepOutcome, StepStatus } from '../../sop/vocabulary.js';
import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';

/**
 * Brings the case's checklist in line with its facts (app.sync_case_steps) and audits what
 * changed as one event. A statement of its own, after the change that moved the facts.
 */
export function syncChecklist(db: HttpDatabase, actor: AuditActor, caseId: string) {
  return db.execute(sql`
    with synced as (
      select * from app.sync_case_steps(${caseId})
    ), changed as (
      select s.case_id, s.unit_id, jsonb_object_agg(s.step_key, s.change) as steps from synced s group by s.case_id, s.unit_id
    )${auditChangedRows({ ...actor, idempotency: undefined }, {
      action: 'case.checklist_changed',
      targetType: 'case',
      targetColumn: 'case_id',
      caseColumn: 'case_id',
      changes: sql`changed.steps`,
    })}`);
}

/**
 * The tail CTEs of a transfer: the case's steps and platform requests follow it to its new
 * station, so that station's due list and ledger show them.
 */
export const stepsFollowTheCase = sql`, steps_moved as (
      update case_steps s set station_id = changed.station_id, district_id = changed.district_id, updated_at = app.now()
        from changed where s.case_id = changed.id
      returning s.id
    ), requests_moved as (
      update platform_requests r set station_id = changed.station_id, updated_at = app.now()
        from changed where r.case_id = changed.id
      returning r.id
    )`;

export type CaseStepRow = {
  id: string;
  stepKey: string;
  definitionKey: string;
  platformKey: string | null;
  definition: Record<string, unknown>;
  ownerRole: string;
  kind: string;
  status: StepStatus;
  triggeredAt: string;
  dueAt: string;
  escalationLevel: number;
  escalatedRole: string | null;
  nextEscalationAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reason: string | null;
  version: number;
};

export const stepColumns = (s: string) =>
  sql.raw(`${s}.id, ${s}.step_key as "stepKey", ${s}.definition_key as "definitionKey", ${s}.platform_key as "platformKey", ${s}.definition, ${s}.owner_role as "ownerRole", ${s}.kind, ${s}.status,
  ${s}.triggered_at as "triggeredAt", ${s}.due_at as "dueAt", ${s}.escalation_level as "escalationLevel", ${s}.escalated_role as "escalatedRole",
  ${s}.next_escalation_at as "nextEscalationAt", ${s}.closed_at as "closedAt", ${s}.closed_by as "closedBy", ${s}.reason, ${s}.version`);

export type CaseSopRow = {
  id: string;
  status: string;
  stationCode: string;
  sopBase: { id: string; number: number } | null;
  sopUnit: { id: string; number: number } | null;
  sopStation: { id: string; number: number } | null;
  steps: CaseStepRow[];
};

const versionRef = (layer: string) =>
  sql.raw(`(select jsonb_build_object('id', v.id, 'number', v.number)
              from app.pinned_sop_versions(c.sop_base_id, c.sop_unit_id, c.sop_station_id) v where v.layer = '${layer}')`);

/** The case's checklist with the SOP versions it is pinned to; NULL row when the case is not visible. */
export function caseChecklist(db: HttpDatabase, caseId: string) {
  return db.execute<CaseSopRow>(sql`
    select c.id, c.status, c.station_code as "stationCode", ${versionRef('base')} as "sopBase", ${versionRef('unit')} as "sopUnit",
           ${versionRef('station')} as "sopStation",
           coalesce((select jsonb_agg(to_jsonb(x) order by x."dueAt", x."stepKey")
                       from (select ${stepColumns('s')} from case_steps s where s.case_id = c.id) x), '[]') as steps
      from cases c where c.id = ${caseId}`);
}


/** Closes a pending step of a case the caller holds; reasons are required for anything but done. */
export function recordStepOutcome(db: HttpDatabase, actor: AuditActor, caseId: string, stepKey: string, outcome: StepOutcome, reason: string | null) {
  return db.execute<CaseStepRow & { case_id: string; unit_id: string }>(sql`
    with changed as (
      update case_steps s
         set status = ${outcome}, closed_at = app.now(), closed_by = ${actor.principal.subject}, reason = ${reason},
             next_escalation_at = null, updated_at = app.now(), version = s.version + 1
       where s.case_id = ${caseId} and s.step_key = ${stepKey} and s.status = 'pending'
      returning ${stepColumns('s')}, s.case_id, s.unit_id
    )${auditChangedRows(actor, {
      action: `sop.step_${outcome}` as const,
      targetType: 'case_step',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: sql`jsonb_build_object('stepKey', changed."stepKey", 'outcome', changed.status, 'reason', changed.reason,
        'dueAt', changed."dueAt", 'late', changed."closedAt" > changed."dueAt")`,
    })}`);
}

export function findCaseStep(db: HttpDatabase, caseId: string, stepKey: string) {
  return db.execute<CaseStepRow & { workable: boolean }>(sql`
    select ${stepColumns('s')}, app.case_id_workable(s.case_id) as workable from case_steps s where s.case_id = ${caseId} and s.step_key = ${stepKey}`);
}

/** Re-pins the case to the SOP versions in force at its station now (steps already closed stay as they are). */
export function repinCaseSop(db: HttpDatabase, actor: AuditActor, caseId: string) {
  return db.execute<{ id: string }>(sql`
    with before as (
      select c.id, c.sop_base_id, c.sop_unit_id, c.sop_station_id, sop.base_id, sop.unit_id as overlay_id, sop.station_id as additions_id
        from cases c cross join lateral app.sop_in_force(c.unit_id, c.station_id) sop
       where c.id = ${caseId}
    ), changed as (
      update cases c
         set sop_base_id = before.base_id, sop_unit_id = before.overlay_id, sop_station_id = before.additions_id, version = c.version + 1, updated_at = app.now()
        from before
       where c.id = before.id and c.status <> 'closed' and app.case_workable(c.unit_id, c.district_id, c.station_id)
      returning c.id, c.unit_id, before.sop_base_id as "fromBase", before.sop_unit_id as "fromUnit", before.sop_station_id as "fromStation",
                c.sop_base_id as "toBase", c.sop_unit_id as "toUnit", c.sop_station_id as "toStation"
    )${auditChangedRows(actor, {
      action: 'case.sop_migrated',
      targetType: 'case',
      targetColumn: 'id',
      caseColumn: 'id',
      changes: sql`jsonb_build_object('from', jsonb_build_array(changed."fromBase", changed."fromUnit", changed."fromStation"),
        'to', jsonb_build_array(changed."toBase", changed."toUnit", changed."toStation"))`,
    })}`);
}

/** The minute sweep's escalation step: at most `limit` overdue steps, as of `now`. */
/** Pending steps due within the hour or overdue, each announced once as step.due_soon and once as step.overdue (app.announce_due_steps). */
export function announceDueSteps(db: HttpDatabase, now: Date, limit: number) {
  return db.execute<{ announced: number }>(sql`select app.announce_due_steps(${now.toISOString()}::timestamptz, ${limit}) as announced`);
}

export function escalateOverdueSteps(db: HttpDatabase, now: Date, limit: number) {
  return db.execute<{ escalated: number }>(sql`select app.escalate_overdue_steps(${now.toISOString()}::timestamptz, ${limit}) as escalated`);
}
