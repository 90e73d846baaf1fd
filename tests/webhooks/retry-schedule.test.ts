import { describe, expect, it } from 'vitest';
import {
  longestScheduleSpanSeconds,
  maxDeliveryAttempts,
  nextAttemptDelaySeconds,
  queueMaxDelaySeconds,
  shortestScheduleSpanSeconds,
  type RandomSource,
} from '../../src/webhooks/retry-schedule.js';

const day = 24 * 60 * 60;
const always = (value: number): RandomSource => () => value;

function schedule(random: RandomSource): number[] {
  const delays: number[] = [];
  for (let attempt = 1; ; attempt += 1) {
    const delay = nextAttemptDelaySeconds(attempt, random);
    if (delay === null) return delays;
    delays.push(delay);
  }
}

const total = (delays: number[]) => delays.reduce((sum, delay) => sum + delay, 0);

describe('nextAttemptDelaySeconds', () => {
  it.each([0, 0.5, 1])('with random %s, retries for about 3 days, 20 times, each wait within what Queues accepts', (value) => {
    const delays = schedule(always(value));
    expect(delays).toHaveLength(maxDeliveryAttempts - 1);
    expect(total(delays)).toBeGreaterThanOrEqual(2.5 * day);
    expect(total(delays)).toBeLessThanOrEqual(3.5 * day);
    for (const delay of delays) {
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(1);
      expect(delay).toBeLessThanOrEqual(queueMaxDelaySeconds);
    }
  });

  it('starts at 30 s, doubles, and stops growing at 6 h', () => {
    const delays = schedule(always(0.5));
    expect(delays.slice(0, 11)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600]);
    expect(new Set(delays.slice(10))).toEqual(new Set([21600]));
  });

  it('moves each wait by at most 10 % either way with the random source', () => {
    expect(nextAttemptDelaySeconds(1, always(0))).toBe(27);
    expect(nextAttemptDelaySeconds(1, always(1))).toBe(33);
    expect(nextAttemptDelaySeconds(12, always(0))).toBe(19440);
    expect(nextAttemptDelaySeconds(12, always(1))).toBe(23760);
  });

  it('spans between the exported shortest and longest schedule', () => {
    expect(total(schedule(always(0)))).toBeGreaterThanOrEqual(shortestScheduleSpanSeconds);
    expect(total(schedule(always(1)))).toBeLessThanOrEqual(longestScheduleSpanSeconds);
  });

  it('answers null once the last attempt failed, without asking the random source', () => {
    const refuses: RandomSource = () => {
      throw new Error('not asked');
    };
    expect(nextAttemptDelaySeconds(maxDeliveryAttempts, refuses)).toBeNull();
    expect(nextAttemptDelaySeconds(maxDeliveryAttempts + 5, refuses)).toBeNull();
    expect(nextAttemptDelaySeconds(maxDeliveryAttempts - 1, always(0.5))).not.toBeNull();
  });

  it('refuses attempt numbers below 1 and a random source outside [0, 1]', () => {
    expect(() => nextAttemptDelaySeconds(0, always(0.5))).toThrow(RangeError);
    expect(() => nextAttemptDelaySeconds(1.5, always(0.5))).toThrow(RangeError);
    expect(() => nextAttemptDelaySeconds(1, always(1.5))).toThrow(RangeError);
    expect(() => nextAttemptDelaySeconds(1, always(Number.NaN))).toThrow(RangeError);
  });
});
