import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

export type TimelineRow = {
  sequence: string | number;
  occurredAt: string;
  actorSubject: string;
  actorRoles: string[];
  action: string;
  targetType: string;
  targetId: string;
  changes: Record<string, unknown>;
  note: string | null;
};

/** A case's history, read from the unit's audit chain (so it is as tamper-evident as the chain); notes carry their text. */
export function caseTimeline(db: HttpDatabase, caseId: string, page: { afterSequence?: number; limit: number }) {
  return db.execute<TimelineRow>(sql`
    select e.sequence, e.occurred_at as "occurredAt", e.actor_subject as "actorSubject", e.actor_roles as "actorRoles", e.action,
           e.target_type as "targetType", e.target_id as "targetId", e.changes,
           (select n.body from case_notes n where e.action = 'case.note_added' and n.id = e.target_id::uuid) as note
      from audit_events e
     where e.case_id = ${caseId} and e.unit_id = app.current_unit_id() and e.sequence > ${page.afterSequence ?? 0}
     order by e.sequence
     limit ${page.limit + 1}`);
}
