import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import worker from '../src/index.js';
import {
  escalateOverdue,
  announceDue,
  purgeIdempotencyRecords,
  purgeOldTokenFailures,
  remindPreservations, flagMissedDeadlines, expirePreservations, checkpointAuditChains,
  runScheduledWork,
  scheduledJobs,
  webhookDeliveryJobs,
  type ScheduledJob,
} from '../src/scheduled.js';
import { sql } from 'drizzle-orm';
import { openHttpDatabase } from '../src/db/client.js';
import { api } from './support/api.js';
import { appConfig, ownerConfig } from './support/config.js';
import { testNow } from './support/clock.js';

describe('the scheduled handler', () => {
  it('runs every job with the scheduled time, and one failing job does not stop the others; /health reports how each ended', async () => {
    const seen: string[] = [];
    const failing: ScheduledJob = async () => {
      throw new Error('sweep failed');
    };
    const recording: ScheduledJob = async (_config, now) => {
      seen.push(now.toISOString());
    };
    const tag = crypto.randomUUID().slice(0, 8);
    const before = Date.now();
    const scheduledAt = testNow();
    await runScheduledWork(appConfig(), scheduledAt, { [`failing-${tag}`]: failing, [`recording-${tag}`]: recording });
    expect(seen).toEqual([scheduledAt.toISOString()]);
    const health = (await (await api('/health')).json()) as { scheduler: { lastRunAt: string; jobs: Array<{ job: string; outcome: string; detail: string | null; startedAt: string }> } };
    const ours = health.scheduler.jobs.filter((run) => run.job.endsWith(tag));
    expect(ours.map(({ job, outcome, detail }) => ({ job, outcome, detail }))).toEqual([
      { job: `failing-${tag}`, outcome: 'failed', detail: 'Error: sweep failed' },
      { job: `recording-${tag}`, outcome: 'ok', detail: null },
    ]);
    expect(Date.parse(ours[0]!.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(health.scheduler.lastRunAt)).toBeGreaterThanOrEqual(Date.parse(ours[0]!.startedAt));
  });

  it('runs the follow-up jobs (webhook delivery) once every job has ended, so they see what the sweep wrote', async () => {
    const order: string[] = [];
    const slow: ScheduledJob = async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('sweep');
    };
    const tag = crypto.randomUUID().slice(0, 8);
    await runScheduledWork(appConfig(), testNow(), { [`sweep-${tag}`]: slow }, { [`deliver-${tag}`]: async () => void order.push('deliver') });
    expect(order).toEqual(['sweep', 'deliver']);
    expect(Object.keys(webhookDeliveryJobs({ send: async () => {} }))).toEqual(['deliverWebhooks']);
  });

  it('purges Idempotency-Key records older than a day, and keeps newer ones', async () => {
    const owner = openHttpDatabase(ownerConfig());
    const [oldKey, newKey] = [crypto.randomUUID(), crypto.randomUUID()];
    await owner.execute(sql`insert into idempotency_records (owner, key, fingerprint, result, created_at)
      values ('["test","purge"]', ${oldKey}, 'f', '[]', now() - interval '25 hours'), ('["test","purge"]', ${newKey}, 'f', '[]', now())`);
    await runScheduledWork(appConfig(), new Date(), { purgeIdempotencyRecords });
    const { rows } = await owner.execute<{ key: string }>(sql`select key from idempotency_records where key in (${oldKey}, ${newKey})`);
    expect(rows.map((row) => row.key)).toEqual([newKey]);
  });

  it('forgets failed token requests a day after their last one, unless a lock still holds', async () => {
    const owner = openHttpDatabase(ownerConfig());
    const tag = crypto.randomUUID();
    const [old, recent, stillLocked] = ['old', 'recent', 'locked'].map((name) => `address:purge-${tag}-${name}`);
    await owner.execute(sql`insert into token_failures (key, failures, window_started_at, locked_at, locked_until, updated_at) values
      (${old}, 3, now() - interval '25 hours', null, null, now() - interval '25 hours'),
      (${recent}, 3, now() - interval '1 hour', null, null, now() - interval '1 hour'),
      (${stillLocked}, 9, now() - interval '25 hours', now() - interval '25 hours', now() + interval '1 hour', now() - interval '25 hours')`);
    await runScheduledWork(appConfig(), new Date(), { purgeOldTokenFailures });
    const { rows } = await owner.execute<{ key: string }>(sql`select key from token_failures where key like ${`address:purge-${tag}-%`} order by key`);
    expect(rows.map((row) => row.key)).toEqual([stillLocked, recent]);
  });

  it('runs the purges, the SOP escalation sweep and the platform-request sweeps (reminders, missed deadlines, expiry) every minute', () => {
    // Each job's own tests run it alone, with their own clock: a sweep of every job at the real
    // time would touch other test files' rows (the sweeps are global across units).
    expect(scheduledJobs).toEqual({ purgeIdempotencyRecords, purgeOldTokenFailures, escalateOverdue, announceDue, remindPreservations, flagMissedDeadlines, expirePreservations, checkpointAuditChains });
  });

  it('does not throw on a misconfigured environment', async () => {
    const controller = { cron: '* * * * *', scheduledTime: testNow().getTime(), noRetry: () => {} } as ScheduledController;
    const { DATABASE_URL: _missing, ...rest } = env;
    await expect(worker.scheduled(controller, rest)).resolves.toBeUndefined();
  });
});
