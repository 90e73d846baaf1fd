import { z } from '@hono/zod-openapi';
import type { DueStepRow } from '../../db/queries/due-steps.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';

export const dueQuerySchema = z.object({
  ...pageQuerySchema,
  before: timestampSchema.optional().openapi({ description: 'Only steps due before this time (e.g. the end of the shift).' }),
  ownerRole: z.string().max(64).optional().openapi({ description: 'Only steps this role owns.' }),
});

export const dueStepSchema = z
  .object({
    caseId: z.uuid(),
    stationCode: z.string(),
    caseStatus: z.string(),
    key: z.string(),
    title: z.record(z.string(), z.string()),
    kind: z.string(),
    ownerRole: z.string(),
    dueAt: timestampSchema,
    overdue: z.boolean(),
    escalationLevel: z.number().int(),
  })
  .openapi('DueStep');

export const duePageSchema = z.object({ data: z.array(dueStepSchema), pagination: paginationSchema }).openapi('DuePage');

const cursorSchema = z.object({ dueAt: z.iso.datetime(), id: z.uuid() });

export function decodeDueCursor(cursor: string | undefined) {
  return cursor ? decodeCursor(cursor, cursorSchema) : undefined;
}

export function duePage(rows: DueStepRow[], limit: number, now: Date) {
  return pageOf(
    rows,
    limit,
    (row) => ({ dueAt: row.cursorAt, id: row.id }),
    (row) => ({
      caseId: row.caseId,
      stationCode: row.stationCode,
      caseStatus: row.caseStatus,
      key: row.stepKey,
      title: (row.definition as { title: Record<string, string> }).title,
      kind: row.kind,
      ownerRole: row.ownerRole,
      dueAt: toRfc3339(row.dueAt),
      overdue: new Date(row.dueAt) < now,
      escalationLevel: row.escalationLevel,
    }),
  );
}

export const dueDescription =
  'Pending SOP steps of the cases held there, soonest deadline first (overdue ones lead). Walks an index of pending steps only, ' +
  'so closed cases and done steps cost nothing. One database round trip.';
