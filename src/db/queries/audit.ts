import { SQL, sql } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.js';
import type { CaseEventAction } from '../../cases/timeline-masking.js';
import type { Idempotency } from '../../http/idempotency.js';
import type { HttpDatabase } from '../client.js';

/** Who did it and under which request: the part of an audit event the caller does not choose. */
export interface AuditActor {
  principal: Principal;
  requestId: string;
  /** When the request carries an Idempotency-Key: its outcome is stored by the same statement. */
  idempotency?: Idempotency;
}

interface AuditedChangeOf {
  targetType: string;
  /** Column of the changed rows that names the target (a code or an id). */
  targetColumn: string;
  /** What changed: values, or a jsonb expression over `changed` for what only the database knows (a previous status). */
  changes: Record<string, unknown> | SQL;
}

/**
 * A change outside any case; or one on a case (caseColumn: the column of the changed rows that
 * holds the case id), which joins that case's timeline and so must be an action the timeline
 * has a masking decision for (src/cases/timeline-masking.ts).
 */
export type AuditedChange = AuditedChangeOf & ({ action: string; caseColumn?: undefined } | { action: CaseEventAction; caseColumn: string });

/**
 * The tail of a data-modifying statement: `with changed as (...) <this>` appends one audit
 * event per changed row, in the same statement, then returns the changed rows. The chaining
 * trigger fills sequence and hashes.
 */
export function auditChangedRows(actor: AuditActor, change: AuditedChange, unitIdColumn: SQL = sql`changed.unit_id`): SQL {
  const { principal, requestId, idempotency } = actor;
  return sql`, audited as (
      insert into audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, case_id, sequence, previous_hash, hash)
      select ${unitIdColumn}, ${principal.issuer}, ${principal.subject}, ${`{${principal.roles.join(',')}}`}::text[], ${change.action},
             ${change.targetType}, changed.${sql.identifier(change.targetColumn)}::text, ${change.changes instanceof SQL ? change.changes : sql`${JSON.stringify(change.changes)}::jsonb`}, ${requestId},
             ${change.caseColumn ? sql`changed.${sql.identifier(change.caseColumn)}::uuid` : sql`null::uuid`}, 0, '', ''
        from changed
    )${rememberedRows(idempotency)}`;
}

/**
 * The end of a statement over a `changed` CTE: returns its rows and, under an
 * Idempotency-Key, stores them as the request's outcome in the same statement.
 */
export function rememberedRows(idempotency: Idempotency | undefined): SQL {
  return idempotency
    ? sql`, remembered as (
        select app.remember_result(${idempotency.owner}, ${idempotency.key}, (select jsonb_agg(to_jsonb(changed)) from changed)) as stored
      )
      select changed.* from changed, remembered`
    : sql`
    select changed.* from changed`;
}

export type AuditChainVerdict = { checked: string | number; firstBrokenSequence: string | number | null; problem: string | null };

/** Recomputes the unit's chain in the database; row-level security limits it to what the caller may see. */
export function verifyAuditChain(db: HttpDatabase, unitCode: string) {
  return db.execute<AuditChainVerdict>(sql`
    select v.checked, v.first_broken_sequence as "firstBrokenSequence", v.problem
      from units u cross join lateral app.verify_audit_chain(u.id) v
     where u.code = ${unitCode}`);
}

export type AuditEventRow = {
  sequence: string | number;
  occurredAt: string;
  actorIssuer: string;
  actorSubject: string;
  actorRoles: string[];
  action: string;
  targetType: string;
  targetId: string;
  changes: unknown;
  requestId: string | null;
  hash: string;
};

export function listAuditEvents(db: HttpDatabase, unitCode: string, page: { afterSequence?: number; limit: number }) {
  return db.execute<AuditEventRow>(sql`
    select e.sequence, e.occurred_at as "occurredAt", e.actor_issuer as "actorIssuer", e.actor_subject as "actorSubject",
           e.actor_roles as "actorRoles", e.action, e.target_type as "targetType", e.target_id as "targetId", e.changes,
           e.request_id as "requestId", e.hash
      from audit_events e join units u on u.id = e.unit_id
     where u.code = ${unitCode} and e.sequence > ${page.afterSequence ?? 0}
     order by e.sequence limit ${page.limit + 1}`);
}

/** The hash the unit's chain holds at this sequence (row-level security: the unit's own, at unit level). */
export function auditEventHashAt(db: HttpDatabase, unitCode: string, sequence: number) {
  return db.execute<{ hash: string }>(sql`
    select e.hash from audit_events e join units u on u.id = e.unit_id where u.code = ${unitCode} and e.sequence = ${sequence}`);
}
