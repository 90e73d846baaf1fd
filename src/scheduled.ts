import type { AppConfig } from './env.js';

/** A job the Cron Trigger runs every minute, given the scheduled time (tests pass their own clock). */
export type ScheduledJob = (config: AppConfig, now: Date) => Promise<void>;

/** Jobs run each minute. The SOP deadline sweep joins this list with the SOP engine. */
export const scheduledJobs: ScheduledJob[] = [];

export async function runScheduledWork(config: AppConfig, now: Date, jobs: ScheduledJob[] = scheduledJobs): Promise<void> {
  const outcomes = await Promise.allSettled(jobs.map((job) => job(config, now)));
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') console.error(JSON.stringify({ scheduled: now.toISOString(), error: String(outcome.reason) }));
  }
}
