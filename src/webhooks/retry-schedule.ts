/**
 * When a failed webhook delivery is tried again, and when a subscription that keeps failing is
 * switched off. Waits double from 30 s up to 6 h, each scaled by a random factor in
 * [0.9, 1.1], for 21 attempts in all: the last retry comes 2.57 to 3.14 days after the first
 * attempt (2.86 days at the middle of the jitter).
 *
 * The jitter is bounded rather than full: full jitter (a wait anywhere from 0 to the ceiling)
 * would halve the span on average and let it fall to hours, and decorrelated jitter needs the
 * previous wait, which a message's attempt count does not carry. ±10 % is still enough to
 * spread the retries of messages that failed together when a receiver went down.
 */

export const firstRetryDelaySeconds = 30;
export const retryDelayGrowthFactor = 2;
export const maxRetryDelaySeconds = 6 * 60 * 60;
/** The share of each wait, either way, that the random source moves it by. */
export const retryJitterFraction = 0.1;
/** The first delivery and 20 retries. */
export const maxDeliveryAttempts = 21;
/** The most that Cloudflare Queues accept as delaySeconds (12 h). */
export const queueMaxDelaySeconds = 43_200;

/** A number in [0, 1], as Math.random gives; tests pass fixed ones. */
export type RandomSource = () => number;

function delayCeilingSeconds(failedAttemptNumber: number): number {
  return Math.min(maxRetryDelaySeconds, firstRetryDelaySeconds * retryDelayGrowthFactor ** (failedAttemptNumber - 1));
}

const nominalScheduleSpanSeconds = Array.from({ length: maxDeliveryAttempts - 1 }, (_, index) => delayCeilingSeconds(index + 1)).reduce((sum, delay) => sum + delay, 0);

/** The shortest time from the first attempt to the last that the jitter allows. */
export const shortestScheduleSpanSeconds = Math.floor(nominalScheduleSpanSeconds * (1 - retryJitterFraction));
/** The longest: what a Queues message may wait in all, at most. */
export const longestScheduleSpanSeconds = Math.ceil(nominalScheduleSpanSeconds * (1 + retryJitterFraction));

/**
 * Seconds to wait after attempt `failedAttemptNumber` (1 is the first delivery) failed before
 * the next one, for Queues' delaySeconds; null once that was the last attempt.
 */
export function nextAttemptDelaySeconds(failedAttemptNumber: number, random: RandomSource): number | null {
  if (!Number.isInteger(failedAttemptNumber) || failedAttemptNumber < 1) throw new RangeError(`attempt numbers start at 1, not ${failedAttemptNumber}`);
  if (failedAttemptNumber >= maxDeliveryAttempts) return null;
  const draw = random();
  if (!(draw >= 0 && draw <= 1)) throw new RangeError(`the random source must give a number in [0, 1], not ${draw}`);
  const factor = 1 - retryJitterFraction + 2 * retryJitterFraction * draw;
  return Math.min(queueMaxDelaySeconds, Math.max(1, Math.round(delayCeilingSeconds(failedAttemptNumber) * factor)));
}

/**
 * A subscription is switched off once it has failed without a break for as long as a whole
 * retry schedule lasts at its shortest, and for at least as many deliveries as one message may
 * make: by then a message has run out of retries while the receiver never answered well.
 * app.record_webhook_attempt applies it.
 */
export const subscriptionDisableThreshold = { consecutiveFailures: maxDeliveryAttempts, failingForSeconds: shortestScheduleSpanSeconds };
