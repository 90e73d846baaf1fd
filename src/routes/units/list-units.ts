import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listUnits } from '../../db/queries/tenancy.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { toUnit, unitSchema } from './unit-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units',
  operationId: 'listUnits',
  tags: ['Onboarding'],
  summary: 'State cyber units the caller may see',
  description: 'The platform administrator sees every unit; a unit administrator or auditor sees their own. One database round trip.',
  security: callersWith('units:read'),
  middleware: requirePermission('units:read'),
  request: { query: z.object(pageQuerySchema) },
  responses: {
    200: {
      description: 'A page of units.',
      content: { 'application/json': { schema: z.object({ data: z.array(unitSchema), pagination: paginationSchema }).openapi('UnitPage') } },
    },
    ...authenticatedProblems,
  },
});

const cursorSchema = z.object({ after: z.string() });

export const listUnitsRoute = createRouter().openapi(route, async (c) => {
  const { cursor, limit } = c.req.valid('query');
  const afterCode = cursor ? decodeCursor(cursor, cursorSchema).after : undefined;
  const [{ rows }] = await c.var.db.batch((db) => [listUnits(db, { afterCode, limit })]);
  return c.json(pageOf(rows, limit, (row) => row.code, toUnit), 200);
});
