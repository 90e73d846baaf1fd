import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';
import type { legalProvisions } from '../schema.js';

export type LegalProvisionRow = Pick<typeof legalProvisions.$inferSelect, 'code' | 'act' | 'title' | 'timeLimitMinutes' | 'effectiveFrom' | 'effectiveTo' | 'sourceNote'>;

export function listLegalProvisions(db: HttpDatabase, at?: string) {
  return db.execute<LegalProvisionRow>(sql`
    select code, act, title, time_limit_minutes as "timeLimitMinutes", effective_from as "effectiveFrom", effective_to as "effectiveTo",
           source_note as "sourceNote"
      from legal_provisions
     where ${at ? sql`effective_from <= ${at}::timestamptz and (effective_to is null or effective_to > ${at}::timestamptz)` : sql`true`}
     order by code, effective_from`);
}
