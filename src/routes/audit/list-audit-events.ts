import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listAuditEvents, type AuditEventRow } from '../../db/queries/audit.js';
import { findUnit } from '../../db/queries/tenancy.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { timestampSchema, toRfc3339, unitPathSchema } from '../../http/schemas.js';
import { requireUnitLevel } from '../../auth/require-auth.js';
import { createRouter } from '../router.js';
import { callersWith } from '../../http/security.js';

export const auditEventSchema = z
  .object({
    sequence: z.number().int(),
    occurredAt: timestampSchema,
    actor: z.object({ issuer: z.string(), subject: z.string(), roles: z.array(z.string()) }),
    action: z.string().openapi({ example: 'station.created' }),
    target: z.object({ type: z.string(), id: z.string() }),
    changes: z.unknown(),
    requestId: z.string().nullable(),
    hash: z.string(),
  })
  .openapi('AuditEvent');

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/audit',
  operationId: 'listAuditEvents',
  tags: ['Audit'],
  summary: 'The unit\'s audit trail, oldest first',
  description: 'Unit administrators and auditors; another unit is 404. One database round trip.',
  security: callersWith('audit:read'),
  middleware: requirePermission('audit:read'),
  request: { params: unitPathSchema, query: z.object(pageQuerySchema) },
  responses: {
    200: {
      description: 'A page of audit events.',
      content: { 'application/json': { schema: z.object({ data: z.array(auditEventSchema), pagination: paginationSchema }).openapi('AuditEventPage') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

const cursorSchema = z.object({ after: z.string().regex(/^\d+$/) });

function toAuditEvent(row: AuditEventRow): z.infer<typeof auditEventSchema> {
  return {
    sequence: Number(row.sequence),
    occurredAt: toRfc3339(row.occurredAt),
    actor: { issuer: row.actorIssuer, subject: row.actorSubject, roles: row.actorRoles },
    action: row.action,
    target: { type: row.targetType, id: row.targetId },
    changes: row.changes,
    requestId: row.requestId,
    hash: row.hash,
  };
}

export const listAuditEventsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  requireUnitLevel(c.var.principal);
  const { cursor, limit } = c.req.valid('query');
  const afterSequence = cursor ? Number(decodeCursor(cursor, cursorSchema).after) : undefined;
  const [unit, { rows }] = await c.var.db.batch((db) => [findUnit(db, unitCode), listAuditEvents(db, unitCode, { afterSequence, limit })]);
  if (!unit.rows[0]) throw notFound(`unit ${unitCode}`);
  return c.json(pageOf(rows, limit, (row) => String(row.sequence), toAuditEvent), 200);
});
