import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findUnit, listDistricts } from '../../db/queries/tenancy.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { districtSchema, toDistrict } from './district-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/districts',
  operationId: 'listDistricts',
  tags: ['Tenancy'],
  summary: 'Districts of a unit the caller may see',
  description: 'A unit administrator sees all of the unit\'s districts; a district or station officer sees their own. Ordered by code. One database round trip.',
  security: callersWith('tenancy:read'),
  middleware: requirePermission('tenancy:read'),
  request: { params: unitPathSchema, query: z.object(pageQuerySchema) },
  responses: {
    200: {
      description: 'A page of districts; 404 for a unit the caller cannot see.',
      content: { 'application/json': { schema: z.object({ data: z.array(districtSchema), pagination: paginationSchema }).openapi('DistrictPage') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

const cursorSchema = z.object({ after: z.string() });

export const listDistrictsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const { cursor, limit } = c.req.valid('query');
  const afterCode = cursor ? decodeCursor(cursor, cursorSchema).after : undefined;
  const [unit, { rows }] = await c.var.db.batch((db) => [findUnit(db, unitCode), listDistricts(db, unitCode, { afterCode, limit })]);
  if (!unit.rows[0]) throw notFound(`unit ${unitCode}`);
  return c.json(pageOf(rows, limit, (row) => row.code, toDistrict), 200);
});
