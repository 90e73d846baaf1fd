import { sql, type SQL } from 'drizzle-orm';
import type { CaseStatus, TransitionTarget } from '../../cases/workflow.js';
import type { CaseDetails, CaseIntake, PaymentInput, StoredIdentifier } from '../../cases/intake.js';
import type { CaseStanding } from '../../cases/refusals.js';
import type { HttpDatabase } from '../client.js';

export type { CaseDetails, CaseIntake, PaymentInput, StoredIdentifier };
import { auditChangedRows, rememberedRows, type AuditActor } from './audit.js';
import { stepsFollowTheCase, syncChecklist } from './case-steps.js';



export type CaseRow = {
  id: string;
  status: CaseStatus;
  stationCode: string;
  reportedStationCode: string;
  reportedAt: string;
  reportedBy: string;
  routedBy: string | null;
  assignedOfficer: { subject: string; name: string } | null;
  closureReason: string | null;
  closedAt: string | null;
  complainant: Record<string, unknown>;
  victim: Record<string, unknown>;
  victimIsMinor: boolean;
  incident: Record<string, unknown>;
  platforms: string[];
  imagesCirculated: boolean;
  amountDemanded: string | number | null;
  amountPaid: string | number;
  currency: string;
  narrative: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  safetyScreen: SafetyScreenJson;
};

export type CaseDetailRow = CaseRow & {
  identifiers: IdentifierJson[];
  payments: PaymentJson[];
  references: ReferenceJson[];
  evidence: EvidenceSummaryJson[];
};

export type IdentifierJson = { id: string; kind: string; value: string; display: string; details: Record<string, unknown>; source: string; addedAt: string; addedBy: string };
export type PaymentJson = {
  id: string;
  amount: string | number;
  currency: string;
  paidAt: string;
  method: string;
  reference: string | null;
  payer: string | null;
  payee: string | null;
  recordedAt: string;
};
export type ReferenceJson = { id: string; kind: string; value: string; sections: string[]; issuedAt: string | null; note: string | null; addedAt: string };
export type EvidenceSummaryJson = {
  id: string;
  kind: string;
  description: string;
  sha256: string;
  hashOrigin: string;
  capturedAt: string;
  integrity: string;
  custodian: Record<string, unknown>;
};

/** The case's own columns under the names the API uses, for selects and RETURNING alike. */
export const caseColumns = (c: string) =>
  sql.raw(`${c}.id, ${c}.status, ${c}.station_code as "stationCode", ${c}.reported_station_code as "reportedStationCode",
  ${c}.reported_at as "reportedAt", ${c}.reported_by as "reportedBy", ${c}.routed_by as "routedBy",
  ${c}.assigned_officer as "assignedOfficer", ${c}.closure_reason as "closureReason", ${c}.closed_at as "closedAt",
  ${c}.complainant, ${c}.victim, ${c}.victim_is_minor as "victimIsMinor", ${c}.incident, ${c}.platforms,
  ${c}.images_circulated as "imagesCirculated", ${c}.amount_demanded as "amountDemanded", ${c}.amount_paid as "amountPaid",
  ${c}.currency, ${c}.narrative, ${c}.version, ${c}.created_at as "createdAt", ${c}.updated_at as "updatedAt",
  ${safetyScreenJsonText(c)} as "safetyScreen"`);

/** The safety screen of the case at alias `c`, or null before it is recorded. */
const safetyScreenJsonText = (c: string) =>
  `case when ${c}.safety_screened_at is not null then jsonb_build_object('riskLevel', ${c}.safety_risk, 'screenedAt', ${c}.safety_screened_at,
    'neverContactThroughFamily', ${c}.never_contact_through_family, 'consentToContact', ${c}.consent_to_contact) end`;
export const safetyScreenJson = (c: string) => sql.raw(safetyScreenJsonText(c));

export type SafetyScreenJson = { riskLevel: string; screenedAt: string; neverContactThroughFamily: boolean; consentToContact: boolean | null } | null;

const identifierJsonText = (i: string) =>
  `jsonb_build_object('id', ${i}.id, 'kind', ${i}.kind, 'value', ${i}.normalized, 'display', ${i}.display, 'details', ${i}.details,
    'source', ${i}.source, 'addedAt', ${i}.created_at, 'addedBy', ${i}.created_by)`;
const paymentJsonText = (p: string) =>
  `jsonb_build_object('id', ${p}.id, 'amount', ${p}.amount, 'currency', ${p}.currency, 'paidAt', ${p}.paid_at, 'method', ${p}.method,
    'reference', ${p}.reference, 'payer', ${p}.payer, 'payee', ${p}.payee, 'recordedAt', ${p}.created_at)`;
const referenceJsonText = (r: string) =>
  `jsonb_build_object('id', ${r}.id, 'kind', ${r}.kind, 'value', ${r}.value, 'sections', ${r}.sections, 'issuedAt', ${r}.issued_at,
    'note', ${r}.note, 'addedAt', ${r}.created_at)`;
const evidenceSummaryJsonText = (e: string) =>
  `jsonb_build_object('id', ${e}.id, 'kind', ${e}.kind, 'description', ${e}.description, 'sha256', ${e}.sha256,
    'hashOrigin', ${e}.hash_origin, 'capturedAt', ${e}.captured_at, 'integrity', ${e}.integrity, 'custodian', ${e}.custodian)`;
export const identifierJson = (alias: string) => sql.raw(identifierJsonText(alias));
export const paymentJson = (alias: string) => sql.raw(paymentJsonText(alias));
export const referenceJson = (alias: string) => sql.raw(referenceJsonText(alias));
export const evidenceSummaryJson = (alias: string) => sql.raw(evidenceSummaryJsonText(alias));

/** The case's children as stored, for a case read or changed by this statement. */
function childrenOf(c: string): SQL {
  return sql.raw(`
    coalesce((select jsonb_agg(${identifierJsonText('i')} order by i.id) from case_identifiers i where i.case_id = ${c}.id), '[]') as identifiers,
    coalesce((select jsonb_agg(${paymentJsonText('p')} order by p.paid_at, p.id) from case_payments p where p.case_id = ${c}.id), '[]') as payments,
    coalesce((select jsonb_agg(${referenceJsonText('r')} order by r.id) from case_references r where r.case_id = ${c}.id), '[]') as "references",
    coalesce((select jsonb_agg(${evidenceSummaryJsonText('e')} order by e.id) from evidence_items e where e.case_id = ${c}.id), '[]') as evidence`);
}

/**
 * Intake as a sequence of statements in one transaction (one round trip): the case at the
 * reporting station with the SOP versions in force there, its identifiers and payments, its
 * checklist, then the unit's first matching routing rule (which reads the stored case) may
 * transfer it, and the last statement returns the
 * case as recorded. Later statements see the case because each is a statement of its own.
 */
export function reportCase(db: HttpDatabase, actor: AuditActor, caseId: string, intake: CaseIntake) {
  const platforms = `{${intake.platforms.map((platform) => JSON.stringify(platform)).join(',')}}`;
  const withoutKey = { ...actor, idempotency: undefined };
  return [
    db.execute(sql`
      insert into cases (id, unit_id, district_id, station_id, station_code, reported_station_id, reported_district_id, reported_station_code,
                         holder_station_ids, holder_district_ids, reported_by, complainant, victim, victim_is_minor, incident, platforms,
                         images_circulated, images_circulated_at, amount_demanded, amount_paid, currency, narrative, sop_base_id, sop_unit_id, sop_station_id, reported_at)
      select ${caseId}::uuid, s.unit_id, s.district_id, s.id, s.code, s.id, s.district_id, s.code, array[s.id], array[s.district_id],
             ${intake.reportedBy}, ${JSON.stringify(intake.complainant)}::jsonb, ${JSON.stringify(intake.victim)}::jsonb, ${intake.victimIsMinor},
             ${JSON.stringify(intake.incident)}::jsonb, ${platforms}::text[], ${intake.imagesCirculated},
             case when ${intake.imagesCirculated} then app.now() end, ${intake.amountDemanded}::numeric,
             ${intake.amountPaid}::numeric, ${intake.currency}, ${intake.narrative}, sop.base_id, sop.unit_id, sop.station_id, app.now()
        from stations s cross join lateral app.sop_in_force(s.unit_id, s.id) sop
       where s.code = ${intake.stationCode}`),
    // The audit event is its own statement: the case must exist before an event may name it.
    db.execute(sql`
      with changed as (
        select id, unit_id, status, station_code, victim_is_minor, platforms from cases where id = ${caseId}
      )${auditChangedRows(withoutKey, {
        action: 'case.reported',
        targetType: 'case',
        targetColumn: 'id',
        caseColumn: 'id',
        changes: sql`jsonb_build_object('status', changed.status, 'stationCode', changed.station_code, 'victimIsMinor', changed.victim_is_minor,
          'platforms', changed.platforms, 'identifiers', ${intake.identifiers.length}::int, 'payments', ${intake.payments.length}::int)`,
      })}`),
    db.execute(sql`
      insert into case_identifiers (case_id, unit_id, created_by, kind, normalized, display, details, source)
      select c.id, c.unit_id, ${intake.reportedBy}, x.kind, x.normalized, x.display, x.details, x.source
        from cases c, jsonb_to_recordset(${JSON.stringify(intake.identifiers)}::jsonb) as x(kind text, normalized text, display text, details jsonb, source text)
       where c.id = ${caseId}
      on conflict (case_id, kind, normalized) do nothing`),
    db.execute(sql`
      insert into case_payments (case_id, unit_id, created_by, amount, currency, paid_at, method, reference, payer, payee)
      select c.id, c.unit_id, ${intake.reportedBy}, x.amount, x.currency, x."paidAt", x.method, x.reference, x.payer, x.payee
        from cases c, jsonb_to_recordset(${JSON.stringify(intake.payments)}::jsonb)
             as x(amount numeric, currency text, "paidAt" timestamptz, method text, reference text, payer text, payee text)
       where c.id = ${caseId}`),
    syncChecklist(db, withoutKey, caseId),
    applyRoutingRules(db, withoutKey, caseId),
    db.execute<CaseDetailRow>(sql`
      with changed as (select ${caseColumns('c')}, ${childrenOf('c')} from cases c where c.id = ${caseId})${rememberedRows(actor.idempotency)}`),
  ] as const;
}

/**
 * Sends a newly reported case where the unit's first matching active rule says, as a transfer
 * on its timeline; a first rule that names the reporting station itself keeps the case there.
 */
function applyRoutingRules(db: HttpDatabase, actor: AuditActor, caseId: string) {
  return db.execute(sql`
    with rule as (
      select r.name, r.target_station_id, r.target_district_id, r.target_station_code
        from routing_rules r join cases c on c.unit_id = r.unit_id
       where c.id = ${caseId} and c.status = 'reported' and r.active
         and (r.min_amount_paid is null or c.amount_paid >= r.min_amount_paid)
         and (r.min_amount_demanded is null or coalesce(c.amount_demanded, 0) >= r.min_amount_demanded)
         and (r.victim_is_minor is null or r.victim_is_minor = c.victim_is_minor)
         and (r.images_circulated is null or r.images_circulated = c.images_circulated)
         and (r.platforms_any is null or r.platforms_any && c.platforms)
       order by r.priority, r.id
       limit 1
    ), changed as (
      update cases c
         set station_id = rule.target_station_id, district_id = rule.target_district_id, station_code = rule.target_station_code,
             holder_station_ids = c.holder_station_ids || rule.target_station_id,
             holder_district_ids = case when rule.target_district_id = any(c.holder_district_ids) then c.holder_district_ids
                                        else c.holder_district_ids || rule.target_district_id end,
             status = 'transferred', routed_by = rule.name
        from rule
       where c.id = ${caseId} and c.station_id <> rule.target_station_id
      returning c.id, c.unit_id, c.station_id, c.district_id, c.reported_station_code, c.station_code, c.routed_by
    )${stepsFollowTheCase}${auditChangedRows(actor, {
      action: 'case.transferred',
      targetType: 'case',
      targetColumn: 'id',
      caseColumn: 'id',
      changes: sql`jsonb_build_object('from', changed.reported_station_code, 'to', changed.station_code, 'routingRule', changed.routed_by)`,
    })}`);
}

export function findCase(db: HttpDatabase, caseId: string) {
  return db.execute<CaseDetailRow>(sql`select ${caseColumns('c')}, ${childrenOf('c')} from cases c where c.id = ${caseId}`);
}

/** What the caller may know of a case after a change matched nothing: whether it exists, holds, its version and status. */
export type { CaseStanding };

export function caseStanding(db: HttpDatabase, caseId: string) {
  return db.execute<CaseStanding>(sql`
    select c.status, c.version, app.case_workable(c.unit_id, c.district_id, c.station_id) as workable, c.station_code as "stationCode",
           exists (select 1 from case_references r where r.case_id = c.id and r.kind = 'fir') as "hasFir"
      from cases c where c.id = ${caseId}`);
}

const versionMatches = (expected: number[] | null) =>
  expected === null ? sql`true` : sql`c.version = any(${`{${expected.join(',')}}`}::int[])`;

export function updateCaseDetails(db: HttpDatabase, actor: AuditActor, caseId: string, changes: Partial<CaseDetails>, expected: number[] | null) {
  const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));
  const platforms = changes.platforms ? `{${changes.platforms.map((platform) => JSON.stringify(platform)).join(',')}}` : null;
  const audited = {
    fields: Object.keys(changes).filter((field) => !['victimIsMinor', 'platforms', 'imagesCirculated', 'amountDemanded', 'currency'].includes(field)),
    ...(changes.victimIsMinor !== undefined && { victimIsMinor: changes.victimIsMinor }),
    ...(changes.platforms !== undefined && { platforms: changes.platforms }),
    ...(changes.imagesCirculated !== undefined && { imagesCirculated: changes.imagesCirculated }),
    ...(changes.amountDemanded !== undefined && { amountDemanded: changes.amountDemanded }),
  };
  return db.execute<CaseDetailRow>(sql`
    with changed as (
      update cases c
         set complainant = coalesce(${json(changes.complainant)}::jsonb, c.complainant),
             victim = coalesce(${json(changes.victim)}::jsonb, c.victim),
             victim_is_minor = coalesce(${changes.victimIsMinor ?? null}::boolean, c.victim_is_minor),
             incident = coalesce(${json(changes.incident)}::jsonb, c.incident),
             platforms = coalesce(${platforms}::text[], c.platforms),
             images_circulated = coalesce(${changes.imagesCirculated ?? null}::boolean, c.images_circulated),
             images_circulated_at = case when coalesce(${changes.imagesCirculated ?? null}::boolean, c.images_circulated)
                                         then coalesce(c.images_circulated_at, app.now()) else c.images_circulated_at end,
             amount_demanded = case when ${changes.incident !== undefined} then ${changes.amountDemanded ?? null}::numeric else c.amount_demanded end,
             narrative = coalesce(${changes.narrative ?? null}, c.narrative),
             version = c.version + 1,
             updated_at = app.now()
       where c.id = ${caseId} and app.case_workable(c.unit_id, c.district_id, c.station_id) and ${versionMatches(expected)}
      returning ${caseColumns('c')}, c.unit_id, ${childrenOf('c')}
    )${auditChangedRows(actor, { action: 'case.updated', targetType: 'case', targetColumn: 'id', caseColumn: 'id', changes: audited })}`);
}

export interface Transition {
  to: TransitionTarget;
  from: CaseStatus[];
  reason: string | null;
  closureReason: string | null;
}

/**
 * Moves a case along the workflow if it is in one of the statuses that allow it; FIR
 * registration needs an FIR reference. Closing retires the pending SOP steps (nothing of a
 * closed case escalates); reopening brings them back through the checklist sync that follows.
 */
export function transitionCase(db: HttpDatabase, actor: AuditActor, caseId: string, transition: Transition, expected: number[] | null) {
  return db.execute<CaseDetailRow & { previousStatus: CaseStatus }>(sql`
    with before as (
      select id, status from cases where id = ${caseId}
    ), changed as (
      update cases c
         set status = ${transition.to},
             closure_reason = ${transition.to === 'closed' ? transition.closureReason : null},
             closed_at = ${transition.to === 'closed' ? sql`app.now()` : sql`null`},
             version = c.version + 1,
             updated_at = app.now()
        from before
       where c.id = before.id and c.status = any(${`{${transition.from.join(',')}}`}::text[])
         and app.case_workable(c.unit_id, c.district_id, c.station_id) and ${versionMatches(expected)}
         and (${transition.to} <> 'fir_registered' or exists (select 1 from case_references r where r.case_id = c.id and r.kind = 'fir'))
      returning ${caseColumns('c')}, c.unit_id, before.status as "previousStatus", ${childrenOf('c')}
    ), steps_stopped as (
      update case_steps s
         set status = 'retired', reason = 'the case was closed', closed_at = app.now(), next_escalation_at = null, updated_at = app.now(), version = s.version + 1
        from changed where s.case_id = changed.id and changed.status = 'closed' and s.status = 'pending'
      returning s.step_key
    )${auditChangedRows(actor, {
      action: 'case.transitioned',
      targetType: 'case',
      targetColumn: 'id',
      caseColumn: 'id',
      changes: sql`jsonb_build_object('from', changed."previousStatus", 'to', changed.status, 'reason', ${transition.reason}::text,
        'closureReason', ${transition.closureReason}::text)
        || case when changed.status = 'closed' then jsonb_build_object('stepsRetired', (select coalesce(jsonb_agg(step_key order by step_key), '[]') from steps_stopped)) else '{}' end`,
    })}`);
}

/** Hands a case to another station of the unit; the new holder takes it up from `transferred`. */
export function transferCase(
  db: HttpDatabase,
  actor: AuditActor,
  caseId: string,
  transfer: { toStationCode: string; reason: string },
  expected: number[] | null,
) {
  return db.execute<CaseDetailRow & { previousStationCode: string }>(sql`
    with target as (
      select id, district_id, code from app.station_in_current_unit(${transfer.toStationCode})
    ), before as (
      select id, station_code from cases where id = ${caseId}
    ), changed as (
      update cases c
         set station_id = target.id,
             district_id = target.district_id,
             station_code = target.code,
             holder_station_ids = case when target.id = any(c.holder_station_ids) then c.holder_station_ids else c.holder_station_ids || target.id end,
             holder_district_ids = case when target.district_id = any(c.holder_district_ids) then c.holder_district_ids else c.holder_district_ids || target.district_id end,
             status = 'transferred',
             assigned_officer = null,
             assigned_officer_subject = null,
             version = c.version + 1,
             updated_at = app.now()
        from target, before
       where c.id = before.id and c.status <> 'closed' and c.station_id <> target.id
         and app.case_workable(c.unit_id, c.district_id, c.station_id) and ${versionMatches(expected)}
      returning ${caseColumns('c')}, c.unit_id, c.station_id, c.district_id, before.station_code as "previousStationCode", ${childrenOf('c')}
    )${stepsFollowTheCase}${auditChangedRows(actor, {
      action: 'case.transferred',
      targetType: 'case',
      targetColumn: 'id',
      caseColumn: 'id',
      changes: sql`jsonb_build_object('from', changed."previousStationCode", 'to', changed."stationCode", 'reason', ${transfer.reason}::text)`,
    })}`);
}

export function stationInCurrentUnit(db: HttpDatabase, code: string) {
  return db.execute<{ code: string }>(sql`select code from app.station_in_current_unit(${code})`);
}

export function assignCase(db: HttpDatabase, actor: AuditActor, caseId: string, officer: { subject: string; name: string }, expected: number[] | null) {
  return db.execute<CaseDetailRow>(sql`
    with changed as (
      update cases c
         set assigned_officer = ${JSON.stringify(officer)}::jsonb,
             assigned_officer_subject = ${officer.subject},
             version = c.version + 1,
             updated_at = app.now()
       where c.id = ${caseId} and app.case_workable(c.unit_id, c.district_id, c.station_id) and ${versionMatches(expected)}
      returning ${caseColumns('c')}, c.unit_id, ${childrenOf('c')}
    )${auditChangedRows(actor, { action: 'case.assigned', targetType: 'case', targetColumn: 'id', caseColumn: 'id', changes: { officer } })}`);
}
