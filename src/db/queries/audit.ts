import { sql, type SQL } from 'drizzle-orm';
import type { Principal } from '../../auth/principal.js';

/** Who did it and under which request: the part of an audit event the caller does not choose. */
export interface AuditActor {
  principal: Principal;
  requestId: string;
}

export interface AuditedChange {
  action: string;
  targetType: string;
  /** Column of the changed rows that names the target (a code or an id). */
  targetColumn: string;
  changes: Record<string, unknown>;
}

/**
 * The tail of a data-modifying statement: `with changed as (...) <this>` appends one audit
 * event per changed row, in the same statement, then returns the changed rows. The chaining
 * trigger fills sequence and hashes.
 */
export function auditChangedRows(actor: AuditActor, change: AuditedChange, unitIdColumn: SQL = sql`changed.unit_id`): SQL {
  const { principal, requestId } = actor;
  return sql`, audited as (
      insert into audit_events (unit_id, actor_issuer, actor_subject, actor_roles, action, target_type, target_id, changes, request_id, sequence, previous_hash, hash)
      select ${unitIdColumn}, ${principal.issuer}, ${principal.subject}, ${`{${principal.roles.join(',')}}`}::text[], ${change.action},
             ${change.targetType}, changed.${sql.identifier(change.targetColumn)}::text, ${JSON.stringify(change.changes)}::jsonb, ${requestId}, 0, '', ''
        from changed
    )
    select changed.* from changed`;
}
