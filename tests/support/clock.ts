import { env } from 'cloudflare:workers';

const dayMs = 24 * 60 * 60_000;
/** CI runs the suite once with the clock a year ahead (TEST_CLOCK_OFFSET_DAYS): nothing may hang on today's date. */
const offsetMs = Number(env.TEST_CLOCK_OFFSET_DAYS ?? '0') * dayMs;

/**
 * The tests' clock: every API call carries it (X-Clock-Override) and the API computes every
 * deadline from it. Fixture times are taken relative to it, never written as dates.
 */
export function testNow(): Date {
  return new Date(Date.now() + offsetMs);
}

export function minutesAgo(minutes: number, from: Date = testNow()): string {
  return new Date(from.getTime() - minutes * 60_000).toISOString();
}

export function hoursAgo(hours: number, from: Date = testNow()): string {
  return minutesAgo(hours * 60, from);
}

export function daysAhead(days: number, from: Date = testNow()): string {
  return minutesAgo(-days * 24 * 60, from);
}
