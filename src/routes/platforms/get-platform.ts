import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findPlatform } from '../../db/queries/platform-directory.js';
import { etagOf } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { platformPathSchema, platformSchema, toPlatform } from './platform-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/platforms/{key}',
  operationId: 'getPlatform',
  tags: ['Platforms'],
  summary: 'One directory entry as the unit sees it',
  description:
    'The unit\'s own entry for the key, else the shipped one. The ETag is given for the unit\'s own entry only: it is what ' +
    'If-Match names when replacing or deleting it. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: platformPathSchema },
  responses: {
    200: { description: 'The entry.', headers: etagHeaders, content: { 'application/json': { schema: platformSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getPlatformRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, key } = c.req.valid('param');
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  const [{ rows }] = await c.var.db.batch((db) => [findPlatform(db, unitCode, key)]);
  if (!rows[0]) throw notFound(`platform ${key} in the directory of unit ${unitCode}`);
  if (rows[0].source === 'unit') c.header('ETag', etagOf(rows[0].version));
  return c.json(toPlatform(rows[0]), 200);
});
