import { PLATFORM_DEADLINE_PROVISIONS } from '../../requests/platform-clock.js';
import { sql } from 'drizzle-orm';
import type { RequestKind, RequestStatus, RequestTarget } from '../../requests/request-workflow.js';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';

/**
 * The ledger of requests sent to platforms on a case. Reads follow the case's visibility,
 * writes its holder (row-level security, migrations/0017_sop_rls.sql); the letter is written
 * once, at drafting, and the app role cannot change it afterwards.
 */

export type RequestTransitionJson = { status: RequestStatus; at: string; by: string; note?: string; externalReference?: string };

export type PlatformRequestRow = {
  id: string;
  caseId: string;
  platformKey: string;
  kind: RequestKind;
  status: RequestStatus;
  sopStepKey: string | null;
  letter: string;
  legalSections: string[];
  transitions: RequestTransitionJson[];
  approvedBy: string | null;
  sentAt: string | null;
  respondedAt: string | null;
  externalReference: string | null;
  preservationUntil: string | null;
  respondBy: string | null;
  deadlineMissedAt: string | null;
  extendsRequestId: string | null;
  reminderAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
};

const requestColumns = (r: string) =>
  sql.raw(`${r}.id, ${r}.case_id as "caseId", ${r}.platform_key as "platformKey", ${r}.kind, ${r}.status, ${r}.sop_step_key as "sopStepKey",
  ${r}.letter, ${r}.legal_sections as "legalSections", ${r}.transitions, ${r}.approved_by as "approvedBy", ${r}.sent_at as "sentAt",
  ${r}.responded_at as "respondedAt", ${r}.external_reference as "externalReference", ${r}.preservation_until as "preservationUntil",
  ${r}.reminder_at as "reminderAt", ${r}.respond_by as "respondBy", ${r}.deadline_missed_at as "deadlineMissedAt", ${r}.extends_request_id as "extendsRequestId", ${r}.created_by as "createdBy", ${r}.created_at as "createdAt", ${r}.updated_at as "updatedAt", ${r}.version`);

const textArray = (values: readonly string[]) => `{${values.map((value) => JSON.stringify(value)).join(',')}}`;

/** The merged directory entry for a key, in the unit of the row at `unitIdColumn`. */
const directoryEntry = (key: string, unitIdColumn: string) => sql`
  select d.key, d.name, d.category, d.preservation_days as "preservationDays"
    from platform_directory d
   where d.key = ${key} and (d.unit_id is null or d.unit_id = ${sql.raw(unitIdColumn)})
   order by d.unit_id nulls last limit 1`;

/**
 * What the body a request goes to owes on it: its preservation period (the directory's, else the
 * default for its kind of body), how long an extension adds, and its turnaround, for the request
 * row at alias `r`.
 */
const bodyTerms = (r: string) =>
  sql.raw(`select coalesce(d.preservation_days, pd.preservation_days) as preservation_days, pd.extension_days, d.turnaround_hours
    from (select 1) one
    left join lateral (select e.category, e.preservation_days, e.turnaround_hours from platform_directory e
                        where e.key = ${r}.platform_key and (e.unit_id is null or e.unit_id = ${r}.unit_id)
                        order by e.unit_id nulls last limit 1) d on true
    left join preservation_defaults pd on pd.category = coalesce(d.category, 'other')`);

export interface DraftingQuestion {
  platformKey: string;
  kind: RequestKind;
  sopStepKey: string | null;
  /** Codes the officer cites; null to cite the SOP step's own legal references. */
  legalSections: string[] | null;
}

export type DraftingFactsRow = {
  id: string;
  status: string;
  stationCode: string;
  reportedAt: string;
  workable: boolean;
  assignedOfficer: { subject: string; name: string } | null;
  platform: { key: string; name: string; category: string; preservationDays: number | null } | null;
  template: string | null;
  step: { key: string; status: string; requestKind: string | null; platformKey: string | null } | null;
  /** For an extension: the latest preservation sent to the platform and still in force, whether it was extended, and by how many days it may be. */
  preservationToExtend: { id: string; preservationUntil: string | null; extended: boolean; extensionDays: number | null } | null;
  identifiers: { kind: string; value: string; display: string; details: Record<string, unknown> }[];
  payments: { amount: string | number; currency: string; paidAt: string; method: string; reference: string | null; payee: string | null }[];
  legalCodes: string[];
  provisions: { code: string; title: string }[];
};

/**
 * Everything a draft letter needs, in one statement: the case (no row when it is not
 * visible), the merged directory entry, the unit's template for the kind (else the shipped
 * one), the SOP step the request answers (the one named, else the earliest pending step whose
 * definition names this kind), the case's identifiers and payments, and the legal provisions
 * in force for the codes cited (the officer's, else the step's).
 */
export function requestDraftingFacts(db: HttpDatabase, caseId: string, question: DraftingQuestion) {
  const cited = question.legalSections === null ? null : textArray(question.legalSections);
  return db.execute<DraftingFactsRow>(sql`
    with c as (
      select c.id, c.unit_id, c.status, c.station_code, c.reported_at, c.assigned_officer,
             app.case_workable(c.unit_id, c.district_id, c.station_id) as workable
        from cases c where c.id = ${caseId}
    ), step as (
      select s.step_key, s.status, s.definition, s.platform_key
        from case_steps s join c on c.id = s.case_id
       where case when ${question.sopStepKey}::text is not null then s.step_key = ${question.sopStepKey}::text
                  else s.status = 'pending' and s.definition->>'requestKind' = ${question.kind}::text
                       and (s.platform_key is null or s.platform_key = ${question.platformKey}::text) end
       order by s.due_at, s.id limit 1
    ), codes as (
      select coalesce(${cited}::text[], (select array(select jsonb_array_elements_text(coalesce(step.definition->'legalRefs', '[]'))) from step), '{}') as codes
    )
    select c.id, c.status, c.station_code as "stationCode", c.reported_at as "reportedAt", c.workable, c.assigned_officer as "assignedOfficer",
           (select to_jsonb(p) from (${directoryEntry(question.platformKey, 'c.unit_id')}) p) as platform,
           (select t.body from letter_templates t
             where t.request_kind = ${question.kind} and (t.unit_id is null or t.unit_id = c.unit_id)
             order by t.unit_id nulls last limit 1) as template,
           (select jsonb_build_object('key', step.step_key, 'status', step.status, 'requestKind', step.definition->>'requestKind', 'platformKey', step.platform_key)
              from step) as step,
           (select jsonb_build_object('id', p.id, 'preservationUntil', p.preservation_until, 'extensionDays', terms.extension_days,
                                      'extended', exists (select 1 from platform_requests x where x.extends_request_id = p.id and x.status <> 'refused'))
              from platform_requests p cross join lateral (${bodyTerms('p')}) terms
             where ${question.kind}::text = 'preservation_extension' and p.case_id = c.id and p.kind = 'preservation'
               and p.platform_key = ${question.platformKey}::text and p.status in ('sent', 'acknowledged', 'actioned')
             order by p.sent_at desc, p.id desc limit 1) as "preservationToExtend",
           coalesce((select jsonb_agg(jsonb_build_object('kind', i.kind, 'value', i.normalized, 'display', i.display, 'details', i.details) order by i.id)
                       from case_identifiers i where i.case_id = c.id), '[]') as identifiers,
           coalesce((select jsonb_agg(jsonb_build_object('amount', p.amount, 'currency', p.currency, 'paidAt', p.paid_at, 'method', p.method,
                                                         'reference', p.reference, 'payee', p.payee) order by p.paid_at, p.id)
                       from case_payments p where p.case_id = c.id), '[]') as payments,
           codes.codes as "legalCodes",
           coalesce((select jsonb_agg(jsonb_build_object('code', l.code, 'title', l.title) order by array_position(codes.codes, l.code))
                       from legal_provisions l
                      where l.code = any(codes.codes) and l.effective_from <= app.now() and (l.effective_to is null or l.effective_to > app.now())), '[]') as provisions
      from c, codes`);
}

export interface PlatformRequestDraft {
  platformKey: string;
  kind: RequestKind;
  sopStepKey: string | null;
  letter: string;
  letterSha256: string;
  legalSections: string[];
  /** The preservation an extension extends. */
  extendsRequestId: string | null;
}

/** A draft on a case the caller holds, with its first transition; the audit event carries the letter's hash. */
export function createPlatformRequest(db: HttpDatabase, actor: AuditActor, caseId: string, draft: PlatformRequestDraft) {
  return db.execute<PlatformRequestRow>(sql`
    with held as (
      select c.id, c.unit_id, c.station_id from cases c where c.id = ${caseId} and app.case_workable(c.unit_id, c.district_id, c.station_id)
    ), changed as (
      insert into platform_requests as r (case_id, unit_id, station_id, platform_key, kind, sop_step_key, extends_request_id, letter, legal_sections, transitions, created_by)
      select held.id, held.unit_id, held.station_id, ${draft.platformKey}, ${draft.kind}, ${draft.sopStepKey}, ${draft.extendsRequestId}::uuid, ${draft.letter},
             ${textArray(draft.legalSections)}::text[], jsonb_build_array(jsonb_build_object('status', 'draft', 'at', app.now(), 'by', ${actor.principal.subject}::text)),
             ${actor.principal.subject}
        from held
      returning ${requestColumns('r')}, r.unit_id, r.case_id
    )${auditChangedRows(actor, {
      action: 'platform_request.drafted',
      targetType: 'platform_request',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: {
        platformKey: draft.platformKey,
        kind: draft.kind,
        sopStepKey: draft.sopStepKey,
        extendsRequestId: draft.extendsRequestId,
        legalSections: draft.legalSections,
        letterSha256: draft.letterSha256,
      },
    })}`);
}

export interface RequestFilter {
  status?: RequestStatus;
  kind?: RequestKind;
  afterId?: string;
  limit: number;
}

/** A case's requests, oldest first (ids are UUID v7, so keyset on the id is creation order). */
export function listPlatformRequests(db: HttpDatabase, caseId: string, filter: RequestFilter) {
  return db.execute<PlatformRequestRow>(sql`
    select ${requestColumns('r')} from platform_requests r
     where r.case_id = ${caseId}
       ${filter.status ? sql`and r.status = ${filter.status}` : sql``}
       ${filter.kind ? sql`and r.kind = ${filter.kind}` : sql``}
       ${filter.afterId ? sql`and r.id > ${filter.afterId}::uuid` : sql``}
     order by r.id
     limit ${filter.limit + 1}`);
}

export function findPlatformRequest(db: HttpDatabase, caseId: string, requestId: string) {
  return db.execute<PlatformRequestRow>(sql`select ${requestColumns('r')} from platform_requests r where r.id = ${requestId} and r.case_id = ${caseId}`);
}

export type RequestStanding = { status: RequestStatus; kind: RequestKind; version: number; workable: boolean };

/** Where a request stands, for explaining why a move matched nothing. */
export function requestStanding(db: HttpDatabase, caseId: string, requestId: string) {
  return db.execute<RequestStanding>(sql`
    select r.status, r.kind, r.version, app.case_id_workable(r.case_id) as workable
      from platform_requests r where r.id = ${requestId} and r.case_id = ${caseId}`);
}

export interface RequestMove {
  to: RequestTarget;
  /** Statuses the move is legal from. */
  from: readonly RequestStatus[];
  /** For approval: the kinds this caller may approve. */
  approvableKinds: readonly RequestKind[];
  /** The platform answered (acknowledged, actioned, refused): the first answer's time is kept. */
  isResponse: boolean;
  /** The request is over (refused, expired): no preservation reminder is due any more. */
  clearsReminder: boolean;
  /** Days before a preservation lapses that its reminder falls, at most (src/requests/preservation.ts). */
  reminderLeadDays: number;
  externalReference: string | null;
  note: string | null;
}

/**
 * One move of the request's state machine, recorded in `transitions` with its time and officer.
 * Sending starts the platform's clock: a preservation request gets its end (the directory's
 * preservation period from now) and a reminder before it. Matches nothing when the request is
 * not the caller's to move, not in a status the move is legal from, or changed since If-Match.
 */
export function transitionPlatformRequest(db: HttpDatabase, actor: AuditActor, caseId: string, requestId: string, move: RequestMove, expected: number[] | null) {
  const to = sql`${move.to}::text`;
  const sending = move.to === 'sent';
  return db.execute<PlatformRequestRow & { from: RequestStatus }>(sql`
    with before as (
      select r.id, r.status, terms.preservation_days, terms.turnaround_hours
        from platform_requests r cross join lateral (${bodyTerms('r')}) terms
       where r.id = ${requestId} and r.case_id = ${caseId}
    ), changed as (
      update platform_requests r
         set status = ${to},
             transitions = r.transitions || jsonb_build_array(jsonb_strip_nulls(jsonb_build_object(
               'status', ${to}, 'at', app.now(), 'by', ${actor.principal.subject}::text, 'note', ${move.note}::text, 'externalReference', ${move.externalReference}::text))),
             approved_by = ${move.to === 'approved' ? sql`${actor.principal.subject}::text` : sql`r.approved_by`},
             sent_at = ${sending ? sql`app.now()` : sql`r.sent_at`},
             responded_at = ${move.isResponse ? sql`coalesce(r.responded_at, app.now())` : sql`r.responded_at`},
             external_reference = coalesce(${move.externalReference}::text, r.external_reference),
             preservation_until = ${sending
               ? sql`case when r.kind = 'preservation' and before.preservation_days > 0
                          then app.now() + make_interval(hours => before.preservation_days * 24) end`
               : sql`r.preservation_until`},
             reminder_at = ${sending
               ? sql`case when r.kind = 'preservation' and before.preservation_days > 0
                          then app.now() + make_interval(hours => (before.preservation_days - least(${move.reminderLeadDays}::int, before.preservation_days / 2)) * 24) end`
               : move.clearsReminder ? sql`null` : sql`r.reminder_at`},
             respond_by = ${sending
               ? sql`app.now() + make_interval(mins => least(before.turnaround_hours * 60,
                   app.provision_time_limit(${JSON.stringify(PLATFORM_DEADLINE_PROVISIONS)}::jsonb->>r.kind, app.now())))`
               : sql`r.respond_by`},
             updated_at = app.now(), version = r.version + 1
        from before
       where r.id = before.id and r.status = any(${textArray(move.from)}::text[])
         ${move.to === 'approved' ? sql`and r.kind = any(${textArray(move.approvableKinds)}::text[])` : sql``}
         ${expected === null ? sql`` : sql`and r.version = any(${`{${expected.join(',')}}`}::int[])`}
      returning ${requestColumns('r')}, r.unit_id, r.case_id, before.status as "from"
    )${auditChangedRows(actor, {
      action: `platform_request.${move.to}` as const,
      targetType: 'platform_request',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: sql`jsonb_strip_nulls(jsonb_build_object('from', changed."from", 'to', changed.status, 'platformKey', changed."platformKey", 'kind', changed.kind,
        'note', ${move.note}::text, 'externalReference', changed."externalReference", 'preservationUntil', changed."preservationUntil",
        'respondBy', changed."respondBy"))`,
    })}`);
}

/**
 * After a send: an extension sent in this same transaction moves the end of the preservation it
 * extends by the body's extension period (counted from that end, or from now if it has lapsed),
 * and its reminder with it. A statement of its own after the send.
 */
export function extendPreservation(db: HttpDatabase, actor: AuditActor, caseId: string, requestId: string, reminderLeadDays: number) {
  return db.execute(sql`
    with extension as (
      select r.id, r.extends_request_id from platform_requests r
       where r.id = ${requestId} and r.case_id = ${caseId} and r.kind = 'preservation_extension' and r.status = 'sent' and r.sent_at = app.now()
    ), extended as (
      select p.id, greatest(p.preservation_until, app.now()) + make_interval(days => terms.extension_days) as until, terms.extension_days
        from platform_requests p join extension on extension.extends_request_id = p.id cross join lateral (${bodyTerms('p')}) terms
       where terms.extension_days is not null
    ), changed as (
      update platform_requests p
         set preservation_until = extended.until,
             reminder_at = extended.until - make_interval(days => least(${reminderLeadDays}::int, extended.extension_days / 2)),
             transitions = p.transitions || jsonb_build_array(jsonb_build_object('status', p.status, 'at', app.now(), 'by', ${actor.principal.subject}::text,
               'note', 'preservation extended to ' || extended.until || ' by request ' || ${requestId}::text)),
             updated_at = app.now(), version = p.version + 1
        from extended where p.id = extended.id
      returning p.id, p.case_id, p.unit_id, p.platform_key, p.preservation_until
    )${auditChangedRows({ ...actor, idempotency: undefined }, {
      action: 'platform_request.preservation_extended',
      targetType: 'platform_request',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: sql`jsonb_build_object('platformKey', changed.platform_key, 'preservationUntil', changed.preservation_until, 'extensionRequestId', ${requestId}::text)`,
    })}`);
}

/**
 * After a send: the SOP step the request answers is done. That is the step it names, else the
 * case's earliest pending step whose definition names the request's kind. A statement of its
 * own after the send; it acts only on a request sent in this same transaction (app.now() is the
 * request's clock, constant through the transaction, which the send wrote as sent_at), so a retried or refused send
 * completes nothing.
 */
export function completeAnsweredStep(db: HttpDatabase, actor: AuditActor, caseId: string, requestId: string) {
  return db.execute(sql`
    with request as (
      select r.id, r.case_id, r.kind, r.platform_key, r.sop_step_key from platform_requests r
       where r.id = ${requestId} and r.case_id = ${caseId} and r.status = 'sent' and r.sent_at = app.now()
    ), target as (
      select s.id from case_steps s join request on request.case_id = s.case_id
       where s.status = 'pending'
         and case when request.sop_step_key is not null then s.step_key = request.sop_step_key
                  else s.definition->>'requestKind' = request.kind and (s.platform_key is null or s.platform_key = request.platform_key) end
       order by s.due_at, s.id limit 1
    ), changed as (
      update case_steps s
         set status = 'done', closed_at = app.now(), closed_by = ${actor.principal.subject}, next_escalation_at = null,
             reason = 'completed by sending ' || request.kind || ' request ' || request.id || ' to ' || request.platform_key,
             updated_at = app.now(), version = s.version + 1
        from target, request
       where s.id = target.id
      returning s.id, s.case_id, s.unit_id, s.step_key, s.due_at, s.closed_at, request.id as request_id
    )${auditChangedRows({ ...actor, idempotency: undefined }, {
      action: 'sop.step_done',
      targetType: 'case_step',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: sql`jsonb_build_object('stepKey', changed.step_key, 'outcome', 'done', 'platformRequestId', changed.request_id,
        'dueAt', changed.due_at, 'late', changed.closed_at > changed.due_at)`,
    })}`);
}

/**
 * The minute sweep's reminder step: at most `limit` preservation requests whose reminder is
 * due as of `now` get an integration event ('preservation.expiring') and an audit
 * event, and their reminder is cleared, so a second run finds nothing. Runs across every unit
 * through app.remind_expiring_preservations (SECURITY DEFINER, like the escalation sweep).
 */
export function remindExpiringPreservations(db: HttpDatabase, now: Date, limit: number) {
  return db.execute<{ reminded: number }>(sql`select app.remind_expiring_preservations(${now.toISOString()}::timestamptz, ${limit}) as reminded`);
}

/**
 * The minute sweep's platform-clock step: at most `limit` sent requests whose platform did not
 * answer by its respond-by time are flagged (an integration event and an audit event each), and
 * the case's checklist gains the follow-up step for that platform (app.flag_missed_platform_deadlines).
 */
export function flagMissedPlatformDeadlines(db: HttpDatabase, now: Date, limit: number) {
  return db.execute<{ flagged: number }>(sql`select app.flag_missed_platform_deadlines(${now.toISOString()}::timestamptz, ${limit}) as flagged`);
}

/** The minute sweep's expiry step: at most `limit` preservations whose period has ended become expired (app.expire_lapsed_preservations). */
export function expireLapsedPreservations(db: HttpDatabase, now: Date, limit: number) {
  return db.execute<{ expired: number }>(sql`select app.expire_lapsed_preservations(${now.toISOString()}::timestamptz, ${limit}) as expired`);
}
