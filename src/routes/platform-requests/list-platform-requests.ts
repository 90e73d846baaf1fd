import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { caseIsVisible } from '../../db/queries/case-records.js';
import { listPlatformRequests } from '../../db/queries/platform-requests.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { REQUEST_KINDS, REQUEST_STATUSES } from '../../requests/request-workflow.js';
import { casePathSchema } from '../cases/case-schema.js';
import { createRouter } from '../router.js';
import { platformRequestSchema, toPlatformRequest } from './platform-request-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/cases/{caseId}/requests',
  operationId: 'listPlatformRequests',
  tags: ['Platforms'],
  summary: 'The requests sent (or drafted) to platforms on a case, oldest first',
  description: 'Whoever may read the case. Filters combine. Keyset pagination on the request id (creation order). One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: {
    params: casePathSchema,
    query: z.object({ ...pageQuerySchema, status: z.enum(REQUEST_STATUSES).optional(), kind: z.enum(REQUEST_KINDS).optional() }),
  },
  responses: {
    200: {
      description: 'A page of requests.',
      content: { 'application/json': { schema: z.object({ data: z.array(platformRequestSchema), pagination: paginationSchema }).openapi('PlatformRequestPage') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listPlatformRequestsRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const { cursor, limit, status, kind } = c.req.valid('query');
  const afterId = cursor ? decodeCursor(cursor, z.object({ after: z.uuid() })).after : undefined;
  const [{ rows: visible }, { rows }] = await c.var.db.batch((db) => [caseIsVisible(db, caseId), listPlatformRequests(db, caseId, { status, kind, afterId, limit })]);
  if (!visible[0]) throw notFound(`case ${caseId}`);
  return c.json(pageOf(rows, limit, (row) => row.id, toPlatformRequest), 200);
});
