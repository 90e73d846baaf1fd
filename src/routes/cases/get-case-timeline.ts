import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { maskTimelineContent } from '../../cases/timeline-masking.js';
import { caseTimeline } from '../../db/queries/case-timeline.js';
import { caseStanding } from '../../db/queries/cases.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { casePathSchema, seesPersonalData } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const timelineEntrySchema = z
  .object({
    sequence: z.number().int().openapi({ description: 'Position in the unit\'s audit chain.' }),
    at: timestampSchema,
    action: z.string().openapi({ example: 'case.transitioned' }),
    actor: z.object({ subject: z.string(), roles: z.array(z.string()) }),
    target: z.object({ type: z.string(), id: z.string() }),
    changes: z.record(z.string(), z.unknown()),
    note: z.string().nullable().openapi({ description: 'The text, for a note (withheld for callers without personal:read).' }),
  })
  .openapi('TimelineEntry');

const route = createRoute({
  method: 'get',
  path: '/cases/{caseId}/timeline',
  operationId: 'getCaseTimeline',
  tags: ['Cases'],
  summary: 'Everything that happened on the case, oldest first',
  description:
    'Read from the unit\'s hash-chained audit trail, so it shows what the chain holds: intake, every change, transition, transfer, ' +
    'identifier, payment, reference, evidence capture and custody link, and the notes. Masked like the case for callers without ' +
    'personal:read: a note\'s text is withheld. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: casePathSchema, query: z.object(pageQuerySchema) },
  responses: {
    200: {
      description: 'A page of the timeline.',
      content: { 'application/json': { schema: z.object({ data: z.array(timelineEntrySchema), pagination: paginationSchema }).openapi('CaseTimeline') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

const cursorSchema = z.object({ after: z.string().regex(/^[0-9]{1,18}$/) });

export const getCaseTimelineRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const { cursor, limit } = c.req.valid('query');
  const afterSequence = cursor ? Number(decodeCursor(cursor, cursorSchema).after) : undefined;
  const [{ rows: standing }, { rows }] = await c.var.db.batch((db) => [caseStanding(db, caseId), caseTimeline(db, caseId, { afterSequence, limit })]);
  if (!standing[0]) throw notFound(`case ${caseId}`);
  const full = seesPersonalData(c.var.principal);
  return c.json(
    pageOf(rows, limit, (row) => String(row.sequence), (row) => ({
      sequence: Number(row.sequence),
      at: toRfc3339(row.occurredAt),
      action: row.action,
      actor: { subject: row.actorSubject, roles: row.actorRoles },
      target: { type: row.targetType, id: row.targetId },
      ...(full ? { changes: row.changes, note: row.note } : maskTimelineContent(row.action, { changes: row.changes, note: row.note })),
    })),
    200,
  );
});
