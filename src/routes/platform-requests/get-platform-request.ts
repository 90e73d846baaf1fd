import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findPlatformRequest } from '../../db/queries/platform-requests.js';
import { etagOf } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { platformRequestSchema, requestPathSchema, toPlatformRequest } from './platform-request-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'get',
  path: '/cases/{caseId}/requests/{requestId}',
  operationId: 'getPlatformRequest',
  tags: ['Platforms'],
  summary: 'A request to a platform, with its letter and every status it has had',
  description: 'Whoever may read the case. The ETag is what If-Match may name on a transition. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: requestPathSchema },
  responses: {
    200: { description: 'The request.', headers: etagHeaders, content: { 'application/json': { schema: platformRequestSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getPlatformRequestRoute = createRouter().openapi(route, async (c) => {
  const { caseId, requestId } = c.req.valid('param');
  const [{ rows }] = await c.var.db.batch((db) => [findPlatformRequest(db, caseId, requestId)]);
  if (!rows[0]) throw notFound(`platform request ${requestId} on case ${caseId}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toPlatformRequest(rows[0]), 200);
});
