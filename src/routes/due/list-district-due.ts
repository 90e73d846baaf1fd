import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { countDueSteps, dueScopeVisible, listDueSteps } from '../../db/queries/due-steps.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { tenancyCode } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { dueDescription, duePage, duePageSchema, dueQuerySchema, dueQueryOf } from './due-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/districts/{districtCode}/due',
  operationId: 'listDistrictDueSteps',
  tags: ['SOP'],
  summary: 'What is due or overdue across a district',
  description: dueDescription,
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: z.object({ districtCode: tenancyCode('MH-PUNE').openapi({ param: { name: 'districtCode', in: 'path' } }) }), query: dueQuerySchema },
  responses: {
    200: { description: 'A page of the steps due now (or of every pending step), with counts per state.', content: { 'application/json': { schema: duePageSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listDistrictDueStepsRoute = createRouter().openapi(route, async (c) => {
  const { districtCode } = c.req.valid('param');
  const query = dueQueryOf({ districtCode }, c.req.valid('query'), c.var.principal.roles);
  const [{ rows: visible }, { rows }, { rows: counts }] = await c.var.db.batch((db) => [dueScopeVisible(db, query.scope), listDueSteps(db, query), countDueSteps(db, query)]);
  if (!visible[0]?.visible) throw notFound(`district ${districtCode}`);
  return c.json(duePage(rows, counts[0]!, query, c.var.now), 200);
});
