import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findEvidence } from '../../db/queries/evidence.js';
import { etagOf } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { caseIdParam } from './case-schema.js';
import { evidenceSchema, toEvidence } from './evidence-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

export const evidencePathSchema = z.object({
  caseId: caseIdParam,
  evidenceId: z.uuid().openapi({ param: { name: 'evidenceId', in: 'path' } }),
});

const route = createRoute({
  method: 'get',
  path: '/cases/{caseId}/evidence/{evidenceId}',
  operationId: 'getEvidence',
  tags: ['Evidence'],
  summary: 'An evidence item with its whole chain of custody',
  description: 'What an electronic-evidence certificate (BSA s.63) quotes: the hash at capture, who captured it, every hand-over and re-verification. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: evidencePathSchema },
  responses: {
    200: { description: 'The item.', headers: etagHeaders, content: { 'application/json': { schema: evidenceSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getEvidenceRoute = createRouter().openapi(route, async (c) => {
  const { caseId, evidenceId } = c.req.valid('param');
  const [{ rows }] = await c.var.db.batch((db) => [findEvidence(db, caseId, evidenceId)]);
  if (!rows[0]) throw notFound(`evidence item ${evidenceId} on case ${caseId}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toEvidence(rows[0]), 200);
});
