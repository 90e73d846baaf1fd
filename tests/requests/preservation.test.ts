import { describe, expect, it } from 'vitest';
import { PRESERVATION_REMINDER_LEAD_DAYS, preservationWindow, reminderBatch, reminderLeadDays, sweepContinues } from '../../src/requests/preservation.js';

const DAY = 86_400_000;
/** A pure computation: any fixed time works, and one far from the day the suite runs says so. */
const sentAt = new Date('2019-11-28T10:15:00.000Z');

describe('a preservation request\'s clock', () => {
  it('lapses after the platform\'s period and reminds a week before', () => {
    expect(preservationWindow(sentAt, 90)).toEqual({
      preservationUntil: new Date('2020-02-26T10:15:00.000Z'),
      reminderAt: new Date('2020-02-19T10:15:00.000Z'),
    });
    expect(preservationWindow(sentAt, 180)!.preservationUntil.getTime() - preservationWindow(sentAt, 180)!.reminderAt.getTime()).toBe(PRESERVATION_REMINDER_LEAD_DAYS * DAY);
  });

  it('reminds half-way through a period too short for a week\'s notice, and never before the request was sent', () => {
    expect([1, 2, 5, 13, 14, 15, 90].map(reminderLeadDays)).toEqual([0, 1, 2, 6, 7, 7, 7]);
    for (const days of [1, 2, 3, 7, 10, 14, 30, 90, 180, 365]) {
      const window = preservationWindow(sentAt, days)!;
      expect(window.reminderAt.getTime()).toBeGreaterThanOrEqual(sentAt.getTime());
      expect(window.reminderAt.getTime()).toBeLessThanOrEqual(window.preservationUntil.getTime());
    }
  });

  it('has no clock when the platform keeps nothing on request', () => {
    expect(preservationWindow(sentAt, null)).toBeNull();
    expect(preservationWindow(sentAt, 0)).toBeNull();
  });

  it('sweeps in bounded batches, going on only while a batch comes back full', () => {
    expect(sweepContinues(reminderBatch.size, 1)).toBe(true);
    expect(sweepContinues(reminderBatch.size - 1, 1)).toBe(false);
    expect(sweepContinues(reminderBatch.size, reminderBatch.perRun)).toBe(false);
  });
});
