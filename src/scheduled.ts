import { signAuditCheckpoint } from './auth/token-issuer.js';
import { chainHeadsToCheckpoint, recordAuditCheckpoints } from './db/queries/audit-checkpoints.js';
import { announceDueSteps, escalateOverdueSteps } from './db/queries/case-steps.js';
import { recordSchedulerRun } from './db/queries/health.js';
import { purgeIdempotencyRecordsOlderThan } from './db/queries/idempotency.js';
import { expireLapsedPreservations, flagMissedPlatformDeadlines, remindExpiringPreservations } from './db/queries/platform-requests.js';
import { purgeTokenFailures } from './db/queries/token-failures.js';
import { reminderBatch, sweepContinues } from './requests/preservation.js';
import { createTenantRunner, type DatabaseBound } from './db/tenant-runner.js';
import type { AppConfig } from './env.js';
import { deliverWebhooksJob, type DeliveryChannel } from './webhooks/delivery-work.js';

/** A job the Cron Trigger runs every minute, given the scheduled time (tests pass their own clock). */
export type ScheduledJob = (config: AppConfig, now: Date) => Promise<void>;

/**
 * Each job's database work, all its batches together, ends within this (statement_timeout and the
 * transports' timeouts), so a database that stops answering cannot pile one minute's sweep onto
 * the next. A batch cut off runs again the next minute: every job is idempotent.
 */
export const sweepBound: DatabaseBound = { timeoutMs: 45_000, readOnly: false };

/** Idempotency-Keys are kept a day: long enough for any client's retries. */
export const purgeIdempotencyRecords: ScheduledJob = async (config) => {
  await createTenantRunner(config, null, new Date(), sweepBound).batch((db) => [purgeIdempotencyRecordsOlderThan(db, '24 hours')]);
};

/** Failed token requests are counted for a window and a lock of minutes; a day later they are forgotten, 10,000 a minute at most. */
export const purgeOldTokenFailures: ScheduledJob = async (config) => {
  await createTenantRunner(config, null).batch((db) => [purgeTokenFailures(db, 10_000)]);
};

/**
 * Steps a sweep batch escalates, and how long a minute's sweep keeps taking batches: until one
 * comes back short, or 40 s have passed (the rest waits for the next minute, inside the job's bound).
 */
export const escalationBatch = { size: 500, budgetMs: 40_000 };

/**
 * Overdue SOP steps move up their escalation chain (app.escalate_overdue_steps): batches, each
 * its own transaction, until one comes back short or the minute's budget is spent.
 */
export const escalateOverdue: ScheduledJob = async (config, now) => {
  const runner = createTenantRunner(config, null, now, sweepBound);
  const startedAt = Date.now();
  do {
    const [{ rows }] = await runner.batch((db) => [escalateOverdueSteps(db, now, escalationBatch.size)]);
    if (Number(rows[0]?.escalated ?? 0) < escalationBatch.size) return;
  } while (Date.now() - startedAt < escalationBatch.budgetMs);
};

/** step.due_soon and step.overdue for pending steps, in batches until one comes back short or the minute's budget is spent. */
export const announceDue: ScheduledJob = async (config, now) => {
  const runner = createTenantRunner(config, null, now, sweepBound);
  const startedAt = Date.now();
  do {
    const [{ rows }] = await runner.batch((db) => [announceDueSteps(db, now, escalationBatch.size)]);
    if (Number(rows[0]?.announced ?? 0) < escalationBatch.size) return;
  } while (Date.now() - startedAt < escalationBatch.budgetMs);
};

/** Preservation requests about to lapse: an integration event and an audit event each (app.remind_expiring_preservations), in bounded batches. */
export const remindPreservations: ScheduledJob = async (config, now) => {
  const runner = createTenantRunner(config, null, now, sweepBound);
  for (let batch = 1; ; batch += 1) {
    const [{ rows }] = await runner.batch((db) => [remindExpiringPreservations(db, now, reminderBatch.size)]);
    if (!sweepContinues(Number(rows[0]?.reminded ?? 0), batch)) return;
  }
};

/** Platforms that did not answer a sent request in their time: flagged, and a follow-up step on the case (app.flag_missed_platform_deadlines). */
export const flagMissedDeadlines: ScheduledJob = async (config, now) => {
  const runner = createTenantRunner(config, null, now, sweepBound);
  for (let batch = 1; ; batch += 1) {
    const [{ rows }] = await runner.batch((db) => [flagMissedPlatformDeadlines(db, now, reminderBatch.size)]);
    if (!sweepContinues(Number(rows[0]?.flagged ?? 0), batch)) return;
  }
};

/** Preservations whose period has ended are expired (app.expire_lapsed_preservations). */
export const expirePreservations: ScheduledJob = async (config, now) => {
  const runner = createTenantRunner(config, null, now, sweepBound);
  for (let batch = 1; ; batch += 1) {
    const [{ rows }] = await runner.batch((db) => [expireLapsedPreservations(db, now, reminderBatch.size)]);
    if (!sweepContinues(Number(rows[0]?.expired ?? 0), batch)) return;
  }
};

/** Units whose chain head a minute's checkpoint job signs per batch. */
export const checkpointBatch = 200;

/**
 * Each unit whose audit chain moved since its last checkpoint gets a new one: its head signed
 * with the token signing key (a JWS any party can keep and check against the JWKS), then stored.
 */
export const checkpointAuditChains: ScheduledJob = async (config, now) => {
  const runner = createTenantRunner(config, null, now, sweepBound);
  for (;;) {
    const [{ rows: heads }] = await runner.batch((db) => [chainHeadsToCheckpoint(db, checkpointBatch)]);
    if (heads.length === 0) return;
    const signed = await Promise.all(
      heads.map(async (head) => {
        const claims = { unit: head.unitCode, sequence: Number(head.sequence), hash: head.hash };
        return { unitId: head.unitId, ...claims, signedAt: now.toISOString(), ...(await signAuditCheckpoint(config, claims, now)) };
      }),
    );
    const [{ rows: [stored] }] = await runner.batch((db) => [recordAuditCheckpoints(db, signed)]);
    // A head that no event holds (a chain cut short behind the API's back) is never recorded: verify names it.
    if (heads.length < checkpointBatch || Number(stored?.recorded ?? 0) === 0) return;
  }
};

/** Jobs run each minute, by the name /health reports them under. */
export const scheduledJobs: Record<string, ScheduledJob> = {
  purgeIdempotencyRecords,
  purgeOldTokenFailures,
  escalateOverdue,
  announceDue,
  remindPreservations,
  flagMissedDeadlines,
  expirePreservations,
  checkpointAuditChains,
};

/**
 * A minute's sweep: every job at once, each recorded when it ends (for /health), a failure
 * logged and recorded without stopping the others. Then the jobs that must see what those wrote
 * (webhook delivery hands on the events the sweep raised), one after another.
 */
export async function runScheduledWork(
  config: AppConfig,
  now: Date,
  jobs: Record<string, ScheduledJob> = scheduledJobs,
  afterwards: Record<string, ScheduledJob> = {},
): Promise<void> {
  await Promise.all(Object.entries(jobs).map(([job, run]) => runRecorded(config, now, job, run)));
  for (const [job, run] of Object.entries(afterwards)) await runRecorded(config, now, job, run);
}

async function runRecorded(config: AppConfig, now: Date, job: string, run: ScheduledJob): Promise<void> {
  const startedAt = new Date();
  let failure: unknown;
  try {
    await run(config, now);
  } catch (error) {
    failure = error;
    console.error(JSON.stringify({ scheduled: now.toISOString(), job, error: String(error) }));
  }
  const record = { job, startedAt, finishedAt: new Date(), outcome: failure === undefined ? ('ok' as const) : ('failed' as const), detail: failure === undefined ? null : String(failure) };
  await createTenantRunner(config, null, now, sweepBound)
    .batch((db) => [recordSchedulerRun(db, record)])
    .catch((error: unknown) => console.error(JSON.stringify({ scheduled: now.toISOString(), job, error: `not recorded: ${String(error)}` })));
}

/** Webhook delivery's part of the minute, handing deliveries on through `channel`. */
export function webhookDeliveryJobs(channel: DeliveryChannel): Record<string, ScheduledJob> {
  const deliver = deliverWebhooksJob(channel);
  return { deliverWebhooks: (config, now) => deliver(config, now, sweepBound) };
}
