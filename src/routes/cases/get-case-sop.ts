import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { caseChecklist } from '../../db/queries/case-steps.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { caseStepSchema, toCaseStep } from './case-sop-schema.js';
import { casePathSchema } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const versionRef = z.object({ id: z.uuid(), number: z.number().int() }).nullable();

const route = createRoute({
  method: 'get',
  path: '/cases/{caseId}/sop',
  operationId: 'getCaseSop',
  tags: ['SOP'],
  summary: 'What must be done on the case now, by whom, by when',
  description:
    '`now`: the pending steps, soonest deadline first, with who owns each and whether it is overdue or waiting for another; ' +
    '`closed`: the steps done, skipped, not applicable or retired. `sop`: the versions the case is pinned to. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: casePathSchema },
  responses: {
    200: {
      description: 'The checklist.',
      content: {
        'application/json': {
          schema: z
            .object({
              caseId: z.uuid(),
              sop: z.object({ base: versionRef, unit: versionRef, station: versionRef }),
              now: z.array(caseStepSchema),
              closed: z.array(caseStepSchema),
            })
            .openapi('CaseChecklist'),
        },
      },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getCaseSopRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const [{ rows }] = await c.var.db.batch((db) => [caseChecklist(db, caseId)]);
  const checklist = rows[0];
  if (!checklist) throw notFound(`case ${caseId}`);
  const steps = checklist.steps.map((step) => toCaseStep(step, checklist.steps, c.var.now));
  return c.json(
    {
      caseId: checklist.id,
      sop: { base: checklist.sopBase, unit: checklist.sopUnit, station: checklist.sopStation },
      now: steps.filter((step) => step.status === 'pending'),
      closed: steps.filter((step) => step.status !== 'pending'),
    },
    200,
  );
});
