import type { SafetyScreen } from '../../cases/safety-screen.js';
import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';
import { identifierJson, paymentJson, referenceJson, safetyScreenJson, type SafetyScreenJson, type IdentifierJson, type PaymentJson, type PaymentInput, type ReferenceJson, type StoredIdentifier } from './cases.js';

/**
 * What an officer adds to a case they hold: suspect identifiers, payments, external
 * references, notes. Each is one statement with its audit event; a case the caller does
 * not hold matches nothing (404).
 */
const heldCase = (caseId: string) => sql`select c.id, c.unit_id, c.currency from cases c
  where c.id = ${caseId} and app.case_workable(c.unit_id, c.district_id, c.station_id)`;

/** The identifier, plus what it names (a profile link's handle) unless the case has that already. */
export function addIdentifier(db: HttpDatabase, actor: AuditActor, caseId: string, identifier: StoredIdentifier, derived: StoredIdentifier[]) {
  return db.execute<{ identifier: IdentifierJson }>(sql`
    with held as (${heldCase(caseId)}), changed as (
      insert into case_identifiers as i (case_id, unit_id, created_by, kind, normalized, display, details, source)
      select held.id, held.unit_id, ${actor.principal.subject}, ${identifier.kind}, ${identifier.normalized}, ${identifier.display},
             ${JSON.stringify(identifier.details)}::jsonb, ${identifier.source}
        from held
      returning i.id, i.case_id, i.unit_id, ${identifierJson('i')} as identifier
    ), derived as (
      insert into case_identifiers (case_id, unit_id, created_by, kind, normalized, display, details, source)
      select changed.case_id, changed.unit_id, ${actor.principal.subject}, x.kind, x.normalized, x.display, x.details, x.source
        from changed, jsonb_to_recordset(${JSON.stringify(derived)}::jsonb) as x(kind text, normalized text, display text, details jsonb, source text)
      on conflict (case_id, kind, normalized) do nothing
      returning id
    )${auditChangedRows(actor, {
      action: 'case.identifier_added',
      targetType: 'case_identifier',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: { kind: identifier.kind, value: identifier.normalized, ...(derived.length > 0 && { derived: derived.map((extra) => `${extra.kind}:${extra.normalized}`) }) },
    })}`);
}

/** A payment, the case's paid total, and the payee as a suspect identifier when it is one. */
export function addPayment(db: HttpDatabase, actor: AuditActor, caseId: string, payment: PaymentInput, payee: StoredIdentifier | null) {
  return db.execute<{ payment: PaymentJson }>(sql`
    with held as (${heldCase(caseId)}), changed as (
      insert into case_payments as p (case_id, unit_id, created_by, amount, currency, paid_at, method, reference, payer, payee)
      select held.id, held.unit_id, ${actor.principal.subject}, ${payment.amount}::numeric, ${payment.currency}, ${payment.paidAt}::timestamptz,
             ${payment.method}, ${payment.reference}, ${payment.payer}, ${payment.payee}
        from held
      returning p.id, p.case_id, p.unit_id, p.amount, p.currency, ${paymentJson('p')} as payment
    ), paid as (
      update cases c
         set amount_paid = c.amount_paid + case when changed.currency = c.currency then changed.amount else 0 end,
             version = c.version + 1, updated_at = app.now()
        from changed where c.id = changed.case_id
      returning c.id
    ), payee as (
      insert into case_identifiers (case_id, unit_id, created_by, kind, normalized, display, details, source)
      select changed.case_id, changed.unit_id, ${actor.principal.subject}, x.kind, x.normalized, x.display, x.details, 'payment'
        from changed, jsonb_to_recordset(${JSON.stringify(payee ? [payee] : [])}::jsonb) as x(kind text, normalized text, display text, details jsonb)
      on conflict (case_id, kind, normalized) do nothing
      returning id
    )${auditChangedRows(actor, {
      action: 'case.payment_added',
      targetType: 'case_payment',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: { amount: payment.amount, currency: payment.currency, method: payment.method, reference: payment.reference, payee: payment.payee },
    })}`);
}

/**
 * Records the victim-safety screen on a case the caller holds: its finding, the victim's minor
 * flag when the screen names it, and how the victim may be contacted. Audited with the risk level,
 * not the contact preferences. Matches nothing when the screen's minor flag contradicts the
 * victim's recorded age.
 */
export function recordSafetyScreen(db: HttpDatabase, actor: AuditActor, caseId: string, screen: SafetyScreen) {
  return db.execute<{ id: string; safetyScreen: SafetyScreenJson }>(sql`
    with changed as (
      update cases c
         set safety_risk = ${screen.riskLevel}, safety_screened_at = app.now(),
             victim_is_minor = coalesce(${screen.victimIsMinor}::boolean, c.victim_is_minor),
             victim = case when ${screen.victimIsMinor}::boolean is null then c.victim else c.victim || jsonb_build_object('isMinor', ${screen.victimIsMinor}::boolean) end,
             never_contact_through_family = ${screen.neverContactThroughFamily}, consent_to_contact = ${screen.consentToContact},
             version = c.version + 1, updated_at = app.now()
       where c.id = ${caseId} and app.case_workable(c.unit_id, c.district_id, c.station_id) and c.status <> 'closed'
         and (${screen.victimIsMinor}::boolean is null or jsonb_typeof(c.victim->'age') is distinct from 'number'
              or ((c.victim->>'age')::numeric < 18) = ${screen.victimIsMinor}::boolean)
      returning c.id, c.unit_id, ${safetyScreenJson('c')} as "safetyScreen"
    )${auditChangedRows(actor, {
      action: 'case.safety_screened',
      targetType: 'case',
      targetColumn: 'id',
      caseColumn: 'id',
      changes: { riskLevel: screen.riskLevel, victimIsMinor: screen.victimIsMinor },
    })}`);
}

export interface ReferenceInput {
  kind: string;
  value: string;
  sections: string[];
  issuedAt: string | null;
  note: string | null;
}

export function addReference(db: HttpDatabase, actor: AuditActor, caseId: string, reference: ReferenceInput) {
  return db.execute<{ reference: ReferenceJson }>(sql`
    with held as (${heldCase(caseId)}), changed as (
      insert into case_references as r (case_id, unit_id, created_by, kind, value, sections, issued_at, note)
      select held.id, held.unit_id, ${actor.principal.subject}, ${reference.kind}, ${reference.value},
             ${`{${reference.sections.map((section) => JSON.stringify(section)).join(',')}}`}::text[], ${reference.issuedAt}::timestamptz, ${reference.note}
        from held
      returning r.id, r.case_id, r.unit_id, ${referenceJson('r')} as reference
    )${auditChangedRows(actor, {
      action: 'case.reference_added',
      targetType: 'case_reference',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: { kind: reference.kind, value: reference.value, sections: reference.sections },
    })}`);
}

export type NoteRow = { id: string; body: string; addedAt: string; addedBy: string };

/** The audit event carries the body's hash, so a note edited in the table no longer matches its event. */
export function addNote(db: HttpDatabase, actor: AuditActor, caseId: string, body: string, bodySha256: string) {
  return db.execute<NoteRow>(sql`
    with held as (${heldCase(caseId)}), changed as (
      insert into case_notes as n (case_id, unit_id, created_by, body)
      select held.id, held.unit_id, ${actor.principal.subject}, ${body} from held
      returning n.id, n.case_id, n.unit_id, n.body, n.created_at as "addedAt", n.created_by as "addedBy"
    )${auditChangedRows(actor, { action: 'case.note_added', targetType: 'case_note', targetColumn: 'id', caseColumn: 'case_id', changes: { bodySha256 } })}`);
}

/** Visible (not necessarily held) case: lets a 404 be told from a case the caller only reads. */
export function caseIsVisible(db: HttpDatabase, caseId: string) {
  return db.execute<{ workable: boolean }>(sql`
    select app.case_workable(c.unit_id, c.district_id, c.station_id) as workable from cases c where c.id = ${caseId}`);
}
