import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findSopVersion, resolvedStepsOf } from '../../db/queries/sop-versions.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { diffSops } from '../../sop/diff-sop.js';
import { createRouter } from '../router.js';
import { sopPathSchema } from './sop-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/sops/{sopId}/diff',
  operationId: 'diffSops',
  tags: ['SOP'],
  summary: 'What changes from one SOP version to another',
  description: 'Compares the steps the two versions compose to: steps added, removed and changed (field by field). One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: sopPathSchema, query: z.object({ against: z.uuid().openapi({ description: 'The version to compare with (the "from" side).' }) }) },
  responses: {
    200: {
      description: 'The differences.',
      content: {
        'application/json': {
          schema: z
            .object({
              from: z.uuid(),
              to: z.uuid(),
              added: z.array(z.string()),
              removed: z.array(z.string()),
              changed: z.array(z.object({ key: z.string(), fields: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })) })),
            })
            .openapi('SopDiff'),
        },
      },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const diffSopsRoute = createRouter().openapi(route, async (c) => {
  const { sopId } = c.req.valid('param');
  const { against } = c.req.valid('query');
  const [{ rows: to }, { rows: from }, { rows: toSteps }, { rows: fromSteps }] = await c.var.db.batch((db) => [
    findSopVersion(db, sopId),
    findSopVersion(db, against),
    resolvedStepsOf(db, sopId),
    resolvedStepsOf(db, against),
  ]);
  if (!to[0]) throw notFound(`SOP version ${sopId}`);
  if (!from[0]) throw notFound(`SOP version ${against}`);
  return c.json({ from: against, to: sopId, ...diffSops(fromSteps, toSteps) }, 200);
});
