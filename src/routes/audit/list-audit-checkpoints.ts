import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission, requireUnitLevel } from '../../auth/require-auth.js';
import { listAuditCheckpoints, type AuditCheckpointRow } from '../../db/queries/audit-checkpoints.js';
import { findUnit } from '../../db/queries/tenancy.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { timestampSchema, toRfc3339, unitPathSchema } from '../../http/schemas.js';
import { callersWith } from '../../http/security.js';
import { createRouter } from '../router.js';

export const auditCheckpointSchema = z
  .object({
    sequence: z.number().int().openapi({ description: 'The chain holds this many events at the checkpoint: it is signed over the event with this sequence.' }),
    hash: z.string().openapi({ description: 'That event\'s hash, which covers every event before it.' }),
    signedAt: timestampSchema,
    keyId: z.string().openapi({ description: 'The `kid` of the key in `/.well-known/jwks.json` that signed it.' }),
    checkpoint: z.string().openapi({
      description:
        'The checkpoint as a compact JWS (header `typ: audit-checkpoint+jwt`; claims `iss`, `unit`, `sequence`, `hash`, `iat`). Keep it: later, the ' +
        'event with this sequence in `GET …/audit` must still carry this hash, and `GET …/audit/verify` must find the chain intact.',
    }),
  })
  .openapi('AuditCheckpoint');

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/audit/checkpoints',
  operationId: 'listAuditCheckpoints',
  tags: ['Audit'],
  summary: 'The unit\'s signed audit checkpoints, newest first',
  description:
    'Each minute the API signs every unit\'s audit chain head that moved, with the key that signs its tokens. A checkpoint kept outside the database ' +
    'proves the chain as it stood: rewriting events and head together, as only the database owner could, no longer matches it. ' +
    'Unit administrators and auditors; another unit is 404. One database round trip.',
  security: callersWith('audit:read'),
  middleware: requirePermission('audit:read'),
  request: { params: unitPathSchema, query: z.object(pageQuerySchema) },
  responses: {
    200: {
      description: 'A page of checkpoints.',
      content: {
        'application/json': { schema: z.object({ data: z.array(auditCheckpointSchema), pagination: paginationSchema }).openapi('AuditCheckpointPage') },
      },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

const cursorSchema = z.object({ before: z.string().regex(/^\d{1,18}$/) });

function toAuditCheckpoint(row: AuditCheckpointRow): z.infer<typeof auditCheckpointSchema> {
  return { sequence: Number(row.sequence), hash: row.hash, signedAt: toRfc3339(row.signedAt), keyId: row.keyId, checkpoint: row.checkpoint };
}

export const listAuditCheckpointsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  requireUnitLevel(c.var.principal);
  const { cursor, limit } = c.req.valid('query');
  const beforeSequence = cursor ? Number(decodeCursor(cursor, cursorSchema).before) : undefined;
  const [unit, { rows }] = await c.var.db.batch((db) => [findUnit(db, unitCode), listAuditCheckpoints(db, unitCode, { beforeSequence, limit })]);
  if (!unit.rows[0]) throw notFound(`unit ${unitCode}`);
  return c.json(pageOf(rows, limit, (row) => ({ before: String(row.sequence) }), toAuditCheckpoint), 200);
});
