import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findCase } from '../../db/queries/cases.js';
import { etagOf } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { casePathSchema, caseSchema, toCase } from './case-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'get',
  path: '/cases/{caseId}',
  operationId: 'getCase',
  tags: ['Cases'],
  summary: 'A case with its identifiers, payments, references and evidence',
  description:
    'Visible to its station (and any station that held it), its district\'s supervisor and the unit. Victim and complainant ' +
    'details are masked for callers without personal:read. The ETag is what If-Match names. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: casePathSchema },
  responses: {
    200: { description: 'The case.', headers: etagHeaders, content: { 'application/json': { schema: caseSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getCaseRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const [{ rows }] = await c.var.db.batch((db) => [findCase(db, caseId)]);
  if (!rows[0]) throw notFound(`case ${caseId}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toCase(rows[0], c.var.principal), 200);
});
