import { sql } from 'drizzle-orm';
import type { HttpDatabase } from '../client.js';

export function purgeIdempotencyRecordsOlderThan(db: HttpDatabase, age: string) {
  return db.execute<{ purged: number }>(sql`select app.purge_idempotency_records(${age}::interval) as purged`);
}

/**
 * The stored outcome of an Idempotency-Key, if its first request finished: for operations that
 * read before they change, so a retry is answered before the reads can refuse it.
 */
export function storedOutcome(db: HttpDatabase, owner: string, key: string) {
  return db.execute<{ fingerprint: string; result: unknown[] | null }>(sql`select fingerprint, result from app.idempotent_result(${owner}, ${key})`);
}
