import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { dueScopeVisible, listDueSteps } from '../../db/queries/due-steps.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { tenancyCode } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { decodeDueCursor, dueDescription, duePage, duePageSchema, dueQuerySchema } from './due-schema.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/due',
  operationId: 'listUnitDueSteps',
  tags: ['SOP'],
  summary: 'What is due or overdue across a unit',
  description: dueDescription,
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('cases:read'),
  request: { params: z.object({ unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }) }), query: dueQuerySchema },
  responses: {
    200: { description: 'A page of pending steps.', content: { 'application/json': { schema: duePageSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listUnitDueStepsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const { cursor, limit, before, ownerRole } = c.req.valid('query');
  const scope = { unitCode };
  const [{ rows: visible }, { rows }] = await c.var.db.batch((db) => [dueScopeVisible(db, scope), listDueSteps(db, { scope, before, ownerRole, after: decodeDueCursor(cursor), limit })]);
  if (!visible[0]?.visible) throw notFound(`unit ${unitCode}`);
  return c.json(duePage(rows, limit, c.var.now), 200);
});
