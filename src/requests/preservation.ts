/**
 * A preservation request holds the platform to its preservation period (90 days for US
 * platforms, extendable once; 180 for Indian intermediaries), counted from when it is sent.
 * The officer is reminded a week before it lapses, to extend it or follow with a formal
 * request; a short period is reminded at its half-way point instead.
 */
export const PRESERVATION_REMINDER_LEAD_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/** How many days before the end the reminder falls, for a period of `preservationDays` (whole days). */
export function reminderLeadDays(preservationDays: number): number {
  return Math.min(PRESERVATION_REMINDER_LEAD_DAYS, Math.floor(preservationDays / 2));
}

/**
 * When a preservation sent at `sentAt` lapses and when to remind; null when the directory
 * gives the platform no preservation period (nothing to remind of). The database computes the
 * same when a request is sent (transitionPlatformRequest), from the lead given here.
 */
export function preservationWindow(sentAt: Date, preservationDays: number | null): { preservationUntil: Date; reminderAt: Date } | null {
  if (preservationDays === null || preservationDays <= 0) return null;
  const preservationUntil = new Date(sentAt.getTime() + preservationDays * DAY_MS);
  return { preservationUntil, reminderAt: new Date(preservationUntil.getTime() - reminderLeadDays(preservationDays) * DAY_MS) };
}

/** How many reminders one sweep batch handles, and batches a minute: the rest wait for the next minute. */
export const reminderBatch = { size: 500, perRun: 10 };

/** The sweep goes on while a batch comes back full. */
export function sweepContinues(remindedInBatch: number, batchesRun: number): boolean {
  return remindedInBatch >= reminderBatch.size && batchesRun < reminderBatch.perRun;
}
