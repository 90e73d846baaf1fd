import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findUnit } from '../../db/queries/tenancy.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { etagOf } from '../../http/etag.js';
import { createRouter } from '../router.js';
import { toUnit, unitSchema } from './unit-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}',
  operationId: 'getUnit',
  tags: ['Onboarding'],
  summary: 'One state cyber unit',
  description: 'Another unit answers 404. One database round trip.',
  security: callersWith('units:read'),
  middleware: requirePermission('units:read'),
  request: { params: unitPathSchema },
  responses: {
    200: { description: 'The unit.', headers: etagHeaders, content: { 'application/json': { schema: unitSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getUnitRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const [{ rows }] = await c.var.db.batch((db) => [findUnit(db, unitCode)]);
  if (!rows[0]) throw notFound(`unit ${unitCode}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toUnit(rows[0]), 200);
});
