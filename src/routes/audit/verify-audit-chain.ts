import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { verifyAuditChain, type AuditChainVerdict } from '../../db/queries/audit.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { requireUnitLevel } from '../../auth/require-auth.js';
import { createRouter } from '../router.js';
import { callersWith } from '../../http/security.js';

export const auditChainVerdictSchema = z
  .object({
    intact: z.boolean(),
    eventsChecked: z.number().int(),
    firstBrokenSequence: z.number().int().nullable(),
    problem: z.string().nullable(),
  })
  .openapi('AuditChainVerdict');

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/audit/verify',
  operationId: 'verifyAuditChain',
  tags: ['Audit'],
  summary: 'Recompute the unit\'s audit hash chain and name the first broken link',
  description:
    'Each audit event\'s hash covers the previous event\'s hash and the event itself, sealed as its transaction commits. An edited, removed or inserted event ' +
    'breaks the chain at that point; so does an event written past the seal, and a chain that no longer matches a checkpoint the API signed ' +
    '(`GET …/audit/checkpoints`). Unit administrators and auditors. One database round trip.',
  security: callersWith('audit:read'),
  middleware: requirePermission('audit:read'),
  request: { params: unitPathSchema },
  responses: {
    200: {
      description: 'The verdict.',
      content: {
        'application/json': {
          schema: auditChainVerdictSchema,
        },
      },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const verifyAuditChainRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  requireUnitLevel(c.var.principal);
  const [{ rows }] = await c.var.db.batch((db) => [verifyAuditChain(db, unitCode)]);
  if (!rows[0]) throw notFound(`unit ${unitCode}`);
  return c.json(toAuditChainVerdict(rows[0]), 200);
});

export function toAuditChainVerdict(verdict: AuditChainVerdict): z.infer<typeof auditChainVerdictSchema> {
  const broken = verdict.firstBrokenSequence === null ? null : Number(verdict.firstBrokenSequence);
  return { intact: broken === null, eventsChecked: Number(verdict.checked), firstBrokenSequence: broken, problem: verdict.problem };
}
