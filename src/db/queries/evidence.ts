import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import { auditChangedRows, type AuditActor } from './audit.js';

export interface Custodian {
  name: string;
  subject?: string;
  designation?: string;
}

export interface EvidenceInput {
  kind: string;
  description: string;
  fileName: string | null;
  mediaType: string | null;
  sizeBytes: number | null;
  sha256: string;
  hashOrigin: 'computed' | 'supplied';
  capturedAt: string;
  capturedBy: Custodian;
}

export type EvidenceRow = {
  id: string;
  caseId: string;
  kind: string;
  description: string;
  fileName: string | null;
  mediaType: string | null;
  sizeBytes: number | string | null;
  sha256: string;
  hashOrigin: 'computed' | 'supplied';
  capturedAt: string;
  capturedBy: Custodian;
  custodian: Custodian;
  integrity: 'intact' | 'mismatch';
  version: number;
  recordedAt: string;
  recordedBy: string;
  custody: CustodyEventJson[];
};

export type CustodyEventJson = {
  id: string;
  kind: 'captured' | 'handed_over' | 'reverified';
  occurredAt: string;
  fromCustodian: Custodian | null;
  toCustodian: Custodian | null;
  sha256: string | null;
  matches: boolean | null;
  note: string | null;
  recordedAt: string;
  recordedBy: string;
};

const evidenceColumns = (e: string) =>
  sql.raw(`${e}.id, ${e}.case_id as "caseId", ${e}.kind, ${e}.description, ${e}.file_name as "fileName", ${e}.media_type as "mediaType",
  ${e}.size_bytes as "sizeBytes", ${e}.sha256, ${e}.hash_origin as "hashOrigin", ${e}.captured_at as "capturedAt", ${e}.captured_by as "capturedBy",
  ${e}.custodian, ${e}.integrity, ${e}.version, ${e}.created_at as "recordedAt", ${e}.created_by as "recordedBy"`);

const custodyJson = (k: string) =>
  sql.raw(`jsonb_build_object('id', ${k}.id, 'kind', ${k}.kind, 'occurredAt', ${k}.occurred_at, 'fromCustodian', ${k}.from_custodian,
    'toCustodian', ${k}.to_custodian, 'sha256', ${k}.sha256, 'matches', ${k}.matches, 'note', ${k}.note, 'recordedAt', ${k}.created_at,
    'recordedBy', ${k}.created_by)`);

/** The item and its capture as the first link of its chain of custody, with the audit event. */
export function addEvidence(db: HttpDatabase, actor: AuditActor, caseId: string, item: EvidenceInput) {
  const capturedBy = JSON.stringify(item.capturedBy);
  return db.execute<EvidenceRow>(sql`
    with held as (
      select c.id, c.unit_id from cases c where c.id = ${caseId} and app.case_workable(c.unit_id, c.district_id, c.station_id)
    ), item as (
      insert into evidence_items as e (case_id, unit_id, created_by, kind, description, file_name, media_type, size_bytes, sha256, hash_origin,
                                       captured_at, captured_by, custodian)
      select held.id, held.unit_id, ${actor.principal.subject}, ${item.kind}, ${item.description}, ${item.fileName}, ${item.mediaType},
             ${item.sizeBytes}::bigint, ${item.sha256}, ${item.hashOrigin}, ${item.capturedAt}::timestamptz, ${capturedBy}::jsonb, ${capturedBy}::jsonb
        from held
      returning *
    ), captured as (
      insert into custody_events as k (case_id, unit_id, created_by, evidence_id, kind, occurred_at, to_custodian, sha256, matches)
      select item.case_id, item.unit_id, item.created_by, item.id, 'captured', item.captured_at, item.captured_by, item.sha256, true from item
      returning *
    ), changed as (
      select ${evidenceColumns('item')}, item.unit_id, item.case_id,
             (select jsonb_agg(${custodyJson('captured')}) from captured) as custody
        from item
    )${auditChangedRows(actor, {
      action: 'evidence.captured',
      targetType: 'evidence',
      targetColumn: 'id',
      caseColumn: 'case_id',
      changes: { kind: item.kind, sha256: item.sha256, hashOrigin: item.hashOrigin, capturedAt: item.capturedAt, capturedBy: item.capturedBy },
    })}`);
}

export function findEvidence(db: HttpDatabase, caseId: string, evidenceId: string) {
  return db.execute<EvidenceRow>(sql`
    select ${evidenceColumns('e')},
           coalesce((select jsonb_agg(${custodyJson('k')} order by k.id) from custody_events k where k.evidence_id = e.id), '[]') as custody
      from evidence_items e where e.case_id = ${caseId} and e.id = ${evidenceId}`);
}

export function listEvidence(db: HttpDatabase, caseId: string) {
  return db.execute<EvidenceRow>(sql`
    select ${evidenceColumns('e')}, '[]'::jsonb as custody from evidence_items e where e.case_id = ${caseId} order by e.id`);
}

export type CustodyInput =
  | { kind: 'handed_over'; to: Custodian; occurredAt: string; note: string | null }
  | { kind: 'reverified'; sha256: string; occurredAt: string; note: string | null };

/**
 * One more link in the chain: a hand-over moves the item to its new custodian; a
 * re-verification records the hash found, and a different one marks the item `mismatch`
 * for good (a later matching hash does not clear it).
 */
export function recordCustody(db: HttpDatabase, actor: AuditActor, caseId: string, evidenceId: string, event: CustodyInput) {
  const to = event.kind === 'handed_over' ? JSON.stringify(event.to) : null;
  const sha256 = event.kind === 'reverified' ? event.sha256 : null;
  return db.execute<{ event: CustodyEventJson; evidenceId: string; integrity: 'intact' | 'mismatch'; version: number }>(sql`
    with item as (
      select e.id, e.case_id, e.unit_id, e.sha256, e.custodian from evidence_items e
        join cases c on c.id = e.case_id
       where e.id = ${evidenceId} and e.case_id = ${caseId} and app.case_workable(c.unit_id, c.district_id, c.station_id)
    ), recorded as (
      insert into custody_events as k (case_id, unit_id, created_by, evidence_id, kind, occurred_at, from_custodian, to_custodian, sha256, matches, note)
      select item.case_id, item.unit_id, ${actor.principal.subject}, item.id, ${event.kind}, ${event.occurredAt}::timestamptz,
             item.custodian, ${to}::jsonb, ${sha256}, case when ${sha256}::text is null then null else ${sha256}::text = item.sha256 end, ${event.note}
        from item
      returning *
    ), updated as (
      update evidence_items e
         set custodian = coalesce(recorded.to_custodian, e.custodian),
             integrity = case when recorded.matches is false then 'mismatch' else e.integrity end,
             version = e.version + 1, updated_at = app.now()
        from recorded where e.id = recorded.evidence_id
      returning e.id, e.integrity, e.version
    ), changed as (
      select recorded.id, recorded.case_id, recorded.unit_id, ${custodyJson('recorded')} as event, updated.id as "evidenceId",
             updated.integrity, updated.version
        from recorded join updated on updated.id = recorded.evidence_id
    )${auditChangedRows(actor, {
      action: event.kind === 'handed_over' ? 'evidence.handed_over' : 'evidence.reverified',
      targetType: 'evidence',
      targetColumn: 'evidenceId',
      caseColumn: 'case_id',
      changes: sql`jsonb_build_object('custodyEventId', changed.id, 'to', ${to}::jsonb, 'sha256', ${sha256}::text,
        'matches', changed.event -> 'matches', 'integrity', changed.integrity)`,
    })}`);
}
