import { claimWebhookDelivery, dispatchIntegrationEvents, dueWebhookDeliveries, recordWebhookAttempt } from '../db/queries/webhook-deliveries.js';
import { createTenantRunner, type DatabaseBound } from '../db/tenant-runner.js';
import { outboundPolicy, type AppConfig } from '../env.js';
import { toEventEnvelope } from '../events/event-envelope.js';
import { deliverEvent } from './deliver-event.js';
import { nextAttemptDelaySeconds, subscriptionDisableThreshold, type RandomSource } from './retry-schedule.js';

/**
 * Push delivery from the outbox. integration_events is the source of truth: events fan out to
 * webhook_deliveries rows (dispatch), and a delivery is attempted by whoever holds its id, by the
 * queue consumer on Workers or in-process on Node. A lost message, a crashed consumer or a
 * database that was down loses nothing: the minute sweep dispatches what is left and hands on
 * every delivery that is due.
 */

/** How a delivery's id reaches the attempt: a Cloudflare queue, or this process. */
export interface DeliveryChannel {
  send(deliveryIds: readonly string[]): Promise<void>;
}

/** The message the delivery queue carries. */
export interface DeliveryMessage {
  deliveryId: string;
}

/** Longer than an attempt can take (the outbound timeout, then recording it): no second attempt starts meanwhile. */
export const deliveryLeaseSeconds = 60;
export const dispatchBatchSize = 500;
/** Due deliveries the minute sweep hands on at most; the rest the next minute. */
export const dueDeliveriesPerSweep = 10_000;
const attemptBound: DatabaseBound = { timeoutMs: 10_000, readOnly: false };
/** How the delivery work names itself to Postgres (pg_stat_activity), apart from the request that woke it. */
export const deliveryApplicationName = 'sextortion-webhook-delivery';

function deliveryRunner(config: AppConfig, now: Date, bound: DatabaseBound) {
  const url = new URL(config.DATABASE_URL);
  url.searchParams.set('application_name', deliveryApplicationName);
  return createTenantRunner({ ...config, DATABASE_URL: url.toString() }, null, now, bound);
}

/** Every event not yet dispatched, fanned out in batches until one comes back short or budgetMs has passed: the deliveries made. */
export async function dispatchEvents(config: AppConfig, now: Date, budgetMs: number, bound: DatabaseBound = attemptBound): Promise<string[]> {
  const runner = deliveryRunner(config, now, bound);
  const startedAt = Date.now();
  const deliveries: string[] = [];
  do {
    const [{ rows }] = await runner.batch((db) => [dispatchIntegrationEvents(db, now, dispatchBatchSize)]);
    deliveries.push(...(rows[0]?.deliveries ?? []));
    if (Number(rows[0]?.events ?? 0) < dispatchBatchSize) break;
  } while (Date.now() - startedAt < budgetMs);
  return deliveries;
}

export async function dueDeliveries(config: AppConfig, now: Date, bound: DatabaseBound = attemptBound): Promise<string[]> {
  const [{ rows }] = await deliveryRunner(config, now, bound).batch((db) => [dueWebhookDeliveries(db, now, dueDeliveriesPerSweep)]);
  return rows.map((row) => row.id);
}

/**
 * not_due: someone else holds it, it is delivered or failed, its time has not come, or its
 * subscription is disabled. retry: the attempt failed and the next is due in delaySeconds.
 * exhausted: that was the schedule's last attempt.
 */
export type AttemptResult = { outcome: 'not_due' } | { outcome: 'delivered' } | { outcome: 'retry'; delaySeconds: number } | { outcome: 'exhausted' };

/** One signed attempt of one delivery at `now`, logged with its answer; the subscription is disabled if it kept failing. */
export async function attemptDelivery(config: AppConfig, deliveryId: string, now: Date, random: RandomSource = Math.random): Promise<AttemptResult> {
  const [{ rows }] = await deliveryRunner(config, now, attemptBound).batch((db) => [claimWebhookDelivery(db, deliveryId, now, deliveryLeaseSeconds)]);
  const claimed = rows[0];
  if (!claimed) return { outcome: 'not_due' };
  const envelope = toEventEnvelope({ ...claimed, id: claimed.eventId, type: claimed.eventType });
  const result = await deliverEvent({
    url: claimed.url,
    secrets: claimed.secrets,
    messageId: claimed.eventId,
    timestamp: now,
    body: JSON.stringify(envelope),
    policy: outboundPolicy(config),
  });
  const delivered = result.outcome === 'delivered';
  const retryInSeconds = delivered ? null : nextAttemptDelaySeconds(claimed.scheduleAttempts + 1, random);
  await deliveryRunner(config, now, attemptBound).batch((db) => [
    recordWebhookAttempt(db, {
      deliveryId,
      now,
      outcome: result.outcome,
      responseStatus: result.status ?? null,
      error: result.error ?? null,
      durationMs: result.durationMs,
      retryInSeconds,
      disableAfterFailures: subscriptionDisableThreshold.consecutiveFailures,
      disableAfterSeconds: subscriptionDisableThreshold.failingForSeconds,
    }),
  ]);
  if (delivered) return { outcome: 'delivered' };
  return retryInSeconds === null ? { outcome: 'exhausted' } : { outcome: 'retry', delaySeconds: retryInSeconds };
}

/** A queue binding's channel: the ids as messages, 100 a batch (the most sendBatch takes). */
export function queueChannel(queue: Queue<DeliveryMessage>): DeliveryChannel {
  return {
    async send(deliveryIds) {
      for (let start = 0; start < deliveryIds.length; start += 100) {
        await queue.sendBatch(deliveryIds.slice(start, start + 100).map((deliveryId) => ({ body: { deliveryId } })));
      }
    },
  };
}

/**
 * This process attempts them itself, a few at a time, each on the clock's time when it starts.
 * No attempt starts after budgetMs: with a receiver that never answers, a long list would
 * otherwise hold up the minute's sweep. What is left stays due, for the next minute.
 */
export function inProcessChannel(config: AppConfig, clock: () => Date = () => new Date(), { concurrency = 8, budgetMs = 40_000 } = {}): DeliveryChannel {
  return {
    async send(deliveryIds) {
      const waiting = [...deliveryIds];
      const stopAt = Date.now() + budgetMs;
      const worker = async () => {
        for (let id = waiting.shift(); id !== undefined && Date.now() < stopAt; id = waiting.shift()) {
          await attemptDelivery(config, id, clock()).catch((error: unknown) => logDeliveryFailure(id, error));
        }
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, waiting.length) }, worker));
    },
  };
}

/** After a write: its events fanned out and handed on, within a few seconds of database work, with any deliveries it queued itself. */
export async function announceCommittedEvents(config: AppConfig, now: Date, channel: DeliveryChannel, queued: readonly string[] = []): Promise<void> {
  const made = await dispatchEvents(config, now, 5_000);
  await channel.send([...new Set([...made, ...queued])]);
}

/**
 * The minute sweep's part: whatever no write dispatched (a write whose follow-up was cut off,
 * a sweep's own events), and every due delivery that no message holds, handed on again.
 */
export function deliverWebhooksJob(channel: DeliveryChannel) {
  return async (config: AppConfig, now: Date, bound?: DatabaseBound): Promise<void> => {
    const made = await dispatchEvents(config, now, 20_000, bound);
    const due = await dueDeliveries(config, now, bound);
    await channel.send([...new Set([...made, ...due])]);
  };
}

/** Runs `work` now, or once more as soon as the run in progress ends: never two at once, no call lost. */
export function coalescing(work: () => Promise<void>): () => void {
  let running = false;
  let again = false;
  const loop = async () => {
    running = true;
    do {
      again = false;
      await work().catch((error: unknown) => console.error(JSON.stringify({ webhooks: 'drain', error: String(error) })));
    } while (again);
    running = false;
  };
  return () => {
    if (running) again = true;
    else void loop();
  };
}

export function logDeliveryFailure(deliveryId: string, error: unknown): void {
  console.error(JSON.stringify({ webhooks: 'attempt', deliveryId, error: String(error) }));
}
