import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { caseStanding } from '../../db/queries/cases.js';
import { listEvidence } from '../../db/queries/evidence.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { casePathSchema } from './case-schema.js';
import { evidenceSchema, toEvidence } from './evidence-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/cases/{caseId}/evidence',
  operationId: 'listEvidence',
  tags: ['Evidence'],
  summary: 'The case\'s evidence items, in the order recorded',
  description: 'Without their custody trails (read an item for its trail). One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: casePathSchema },
  responses: {
    200: { description: 'The items.', content: { 'application/json': { schema: z.object({ data: z.array(evidenceSchema) }).openapi('EvidenceList') } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listEvidenceRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const [{ rows: standing }, { rows }] = await c.var.db.batch((db) => [caseStanding(db, caseId), listEvidence(db, caseId)]);
  if (!standing[0]) throw notFound(`case ${caseId}`);
  return c.json({ data: rows.map(toEvidence) }, 200);
});
