import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.js';
import { escalateOverdue, purgeIdempotencyRecords, remindPreservations, runScheduledWork, scheduledJobs, type ScheduledJob } from '../src/scheduled.js';
import { sql } from 'drizzle-orm';
import { openHttpDatabase } from '../src/db/client.js';
import { appConfig, ownerConfig } from './support/config.js';

describe('the scheduled handler', () => {
  it('runs every job with the scheduled time, and one failing job does not stop the others', async () => {
    const seen: string[] = [];
    const failing: ScheduledJob = async () => {
      throw new Error('sweep failed');
    };
    const recording: ScheduledJob = async (_config, now) => {
      seen.push(now.toISOString());
    };
    await runScheduledWork(appConfig(), new Date('2026-11-28T10:00:00Z'), [failing, recording]);
    expect(seen).toEqual(['2026-11-28T10:00:00.000Z']);
  });

  it('purges Idempotency-Key records older than a day, and keeps newer ones', async () => {
    const owner = openHttpDatabase(ownerConfig());
    const [oldKey, newKey] = [crypto.randomUUID(), crypto.randomUUID()];
    await owner.execute(sql`insert into idempotency_records (owner, key, fingerprint, result, created_at)
      values ('["test","purge"]', ${oldKey}, 'f', '[]', now() - interval '25 hours'), ('["test","purge"]', ${newKey}, 'f', '[]', now())`);
    await runScheduledWork(appConfig(), new Date(), [purgeIdempotencyRecords]);
    const { rows } = await owner.execute<{ key: string }>(sql`select key from idempotency_records where key in (${oldKey}, ${newKey})`);
    expect(rows.map((row) => row.key)).toEqual([newKey]);
  });

  it('runs the purge, the SOP escalation sweep and the preservation reminders every minute', () => {
    // Each job's own tests run it alone, with their own clock: a sweep of every job at the real
    // time would touch other test files' rows (the sweeps are global across units).
    expect(scheduledJobs).toEqual([purgeIdempotencyRecords, escalateOverdue, remindPreservations]);
  });

  it('does not throw on a misconfigured environment', async () => {
    const controller = { cron: '* * * * *', scheduledTime: Date.parse('2026-11-28T10:00:00Z'), noRetry: () => {} } as ScheduledController;
    const { DATABASE_URL: _missing, ...rest } = env;
    await expect(worker.scheduled(controller, rest)).resolves.toBeUndefined();
  });
});
