import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

export function purgeIdempotencyRecordsOlderThan(db: HttpDatabase, age: string) {
  return db.execute<{ purged: number }>(sql`select app.purge_idempotency_records(${age}::interval) as purged`);
}
