import { purgeIdempotencyRecordsOlderThan } from './db/queries/idempotency.js';
import { createTenantRunner } from './db/tenant-runner.js';
import type { AppConfig } from './env.js';

/** A job the Cron Trigger runs every minute, given the scheduled time (tests pass their own clock). */
export type ScheduledJob = (config: AppConfig, now: Date) => Promise<void>;

/** Idempotency-Keys are kept a day: long enough for any client's retries. */
const purgeIdempotencyRecords: ScheduledJob = async (config) => {
  await createTenantRunner(config, null).batch((db) => [purgeIdempotencyRecordsOlderThan(db, '24 hours')]);
};

/** Jobs run each minute. The SOP deadline sweep joins this list with the SOP engine. */
export const scheduledJobs: ScheduledJob[] = [purgeIdempotencyRecords];

export async function runScheduledWork(config: AppConfig, now: Date, jobs: ScheduledJob[] = scheduledJobs): Promise<void> {
  const outcomes = await Promise.allSettled(jobs.map((job) => job(config, now)));
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') console.error(JSON.stringify({ scheduled: now.toISOString(), error: String(outcome.reason) }));
  }
}
