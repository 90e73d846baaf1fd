import { z } from '@hono/zod-openapi';
import type { Role } from '../../auth/roles.js';
import type { DueCountsRow, DueQuery, DueScope, DueStepRow } from '../../db/queries/due-steps.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { STEP_ROLES } from '../../sop/step-definition.js';

const stepRole = z.enum(STEP_ROLES as [Role, ...Role[]]);

export const dueQuerySchema = z.object({
  ...pageQuerySchema,
  window: z.enum(['due_now', 'all']).default('due_now').openapi({
    description: '`due_now` (the default): the overdue steps and those due within `withinMinutes`. `all`: every pending step, however far off.',
  }),
  withinMinutes: z
    .string()
    .regex(/^[0-9]{1,5}$/, 'a whole number of minutes from 0 to 10080')
    .default('60')
    .transform(Number)
    .pipe(z.number().int().min(0).max(10_080))
    .openapi({ description: 'How far ahead "due soon" reaches, in minutes (at most a week).', type: 'integer', minimum: 0, maximum: 10_080, default: 60 }),
  before: timestampSchema.optional().openapi({ description: 'Only steps due before this time (e.g. the end of the shift).' }),
  ownerRole: z.string().max(64).optional().openapi({ description: 'Only steps this role owns.' }),
  escalatedTo: stepRole.optional().openapi({ description: 'Only steps whose latest escalation reached this role.' }),
  escalatedToMe: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => value === 'true')
    .openapi({ type: 'string', enum: ['true', 'false'], description: 'Only steps whose latest escalation reached one of the caller\'s roles.' }),
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
    state: z.enum(['overdue', 'due_soon', 'later']),
    overdue: z.boolean(),
    escalationLevel: z.number().int(),
    escalatedRole: z.string().nullable().openapi({ description: 'The role the latest escalation reached; null before the first.' }),
  })
  .openapi('DueStep');

const dueCountsSchema = z
  .object({
    overdue: z.number().int(),
    dueSoon: z.number().int().openapi({ description: 'Due from now until `dueSoonUntil`.' }),
    later: z.number().int(),
    escalated: z.number().int().openapi({ description: 'Escalated at least once, whichever of the other three it is in.' }),
  })
  .openapi('DueCounts', { description: 'Every pending step the filters select in the whole station, district or unit, whatever the window and page.' });

export const duePageSchema = z
  .object({
    data: z.array(dueStepSchema),
    counts: dueCountsSchema,
    asOf: timestampSchema.openapi({ description: 'The time the list was drawn up at.' }),
    dueSoonUntil: timestampSchema,
    pagination: paginationSchema,
  })
  .openapi('DuePage');

type DueRequest = z.infer<typeof dueQuerySchema>;

/** The due list a request asks for; "escalated to me" means to any role the caller holds. */
export function dueQueryOf(scope: DueScope, request: DueRequest, callerRoles: readonly Role[]): DueQuery {
  return {
    scope,
    soonMinutes: request.withinMinutes,
    dueNowOnly: request.window === 'due_now',
    before: request.before,
    ownerRole: request.ownerRole,
    escalatedTo: request.escalatedTo,
    escalatedToAnyOf: request.escalatedToMe ? callerRoles : undefined,
    after: decodeDueCursor(request.cursor),
    limit: request.limit,
  };
}

const cursorSchema = z.object({ dueAt: z.iso.datetime(), id: z.uuid() });

function decodeDueCursor(cursor: string | undefined) {
  return cursor ? decodeCursor(cursor, cursorSchema) : undefined;
}

export function duePage(rows: DueStepRow[], counts: DueCountsRow, query: DueQuery, now: Date) {
  const page = pageOf(
    rows,
    query.limit,
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
      state: row.state,
      overdue: row.state === 'overdue',
      escalationLevel: row.escalationLevel,
      escalatedRole: row.escalatedRole,
    }),
  );
  const dueSoonUntil = new Date(now.getTime() + query.soonMinutes * 60_000);
  return { data: page.data, counts, asOf: toRfc3339(now), dueSoonUntil: toRfc3339(dueSoonUntil), pagination: page.pagination };
}

export const dueDescription =
  'What is due now: pending SOP steps of the cases held there that are overdue or due within `withinMinutes` (60 by default), ' +
  'soonest deadline first (overdue ones lead); `window=all` lists every pending step. `escalatedTo` or `escalatedToMe=true` keeps ' +
  'the steps escalated to a role rather than owned by it. `counts` covers the whole scope under the same filters. Walks an index ' +
  'of pending steps only, so closed cases and done steps cost nothing. One database round trip.';
