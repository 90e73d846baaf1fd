import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { assignCase } from '../../db/queries/cases.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema, caseSchema, toCase } from './case-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'put',
  path: '/cases/{caseId}/assignee',
  operationId: 'assignCase',
  tags: ['Cases'],
  summary: 'Assign the case to an investigating officer',
  description: 'For the holder\'s station house officer or a supervisor. `subject` is the officer\'s identity in your token issuer. Requires If-Match. Audited.',
  security: callersWith('cases:supervise'),
  middleware: requirePermission('cases:supervise'),
  request: {
    params: casePathSchema,
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              subject: z.string().trim().min(1).max(255).openapi({ example: 'psi.patil' }),
              name: z.string().trim().min(1).max(200).openapi({ example: 'PSI A. Patil' }),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    200: { description: 'The case, assigned.', headers: etagHeaders, content: { 'application/json': { schema: caseSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const assignCaseRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const expected = expectedVersion(c.req.valid('header')['if-match']);
  const [{ rows }] = await c.var.db.batch((db) => [assignCase(db, actorOf(c), caseId, c.req.valid('json'), expected)]);
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, expected);
  }
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toCase(rows[0], c.var.principal), 200);
});
