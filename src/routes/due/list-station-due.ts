import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { dueScopeVisible, listDueSteps } from '../../db/queries/due-steps.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { tenancyCode } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { decodeDueCursor, dueDescription, duePage, duePageSchema, dueQuerySchema } from './due-schema.js';

const route = createRoute({
  method: 'get',
  path: '/stations/{stationCode}/due',
  operationId: 'listStationDueSteps',
  tags: ['SOP'],
  summary: 'What is due or overdue at a station',
  description: dueDescription,
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('cases:read'),
  request: { params: z.object({ stationCode: tenancyCode('MH-PUNE-SHIVAJINAGAR').openapi({ param: { name: 'stationCode', in: 'path' } }) }), query: dueQuerySchema },
  responses: {
    200: { description: 'A page of pending steps.', content: { 'application/json': { schema: duePageSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listStationDueStepsRoute = createRouter().openapi(route, async (c) => {
  const { stationCode } = c.req.valid('param');
  const { cursor, limit, before, ownerRole } = c.req.valid('query');
  const scope = { stationCode };
  const [{ rows: visible }, { rows }] = await c.var.db.batch((db) => [dueScopeVisible(db, scope), listDueSteps(db, { scope, before, ownerRole, after: decodeDueCursor(cursor), limit })]);
  if (!visible[0]?.visible) throw notFound(`station ${stationCode}`);
  return c.json(duePage(rows, limit, c.var.now), 200);
});
