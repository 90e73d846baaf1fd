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
  path: '/units/{unitCode}/due',
  operationId: 'listUnitDueSteps',
  tags: ['SOP'],
  summary: 'What is due or overdue across a unit',
  description: dueDescription,
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: z.object({ unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }) }), query: dueQuerySchema },
  responses: {
    200: { description: 'A page of the steps due now (or of every pending step), with counts per state.', content: { 'application/json': { schema: duePageSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listUnitDueStepsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const query = dueQueryOf({ unitCode }, c.req.valid('query'), c.var.principal.roles);
  const [{ rows: visible }, { rows }, { rows: counts }] = await c.var.db.batch((db) => [dueScopeVisible(db, query.scope), listDueSteps(db, query), countDueSteps(db, query)]);
  if (!visible[0]?.visible) throw notFound(`unit ${unitCode}`);
  return c.json(duePage(rows, counts[0]!, query, c.var.now), 200);
});
