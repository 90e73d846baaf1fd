import { STEP_OUTCOMES } from '../../sop/vocabulary.js';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findCaseStep, recordStepOutcome, syncChecklist } from '../../db/queries/case-steps.js';
import { followedBy } from '../../db/tenant-runner.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFound, notFoundProblem, ProblemError } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { caseStepKeyParam, caseStepSchema, toCaseStep } from './case-sop-schema.js';
import { caseIdParam } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/sop/steps/{stepKey}',
  operationId: 'recordStepOutcome',
  tags: ['SOP'],
  summary: 'Complete a step, skip it with a reason, or mark it not applicable',
  description:
    'Only pending steps, only by the case\'s holder. Completing a step starts the steps triggered by it. Audited (the event ' +
    'says whether it was late); one database round trip.',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: z.object({ caseId: caseIdParam, stepKey: caseStepKeyParam }),
    headers: idempotencyHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ outcome: z.enum(STEP_OUTCOMES), reason: z.string().trim().min(1).max(2000).optional() })
            .strict()
            .refine((body) => body.outcome === 'done' || body.reason !== undefined, { message: 'say why the step is skipped or not applicable', path: ['reason'] }),
        },
      },
    },
  },
  responses: {
    200: { description: 'The step, closed.', content: { 'application/json': { schema: caseStepSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const recordStepOutcomeRoute = createRouter().openapi(route, async (c) => {
  const { caseId, stepKey } = c.req.valid('param');
  const body = c.req.valid('json');
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: body });
  const { rows } = await c.var.db.change(idempotency, (db) =>
    followedBy(recordStepOutcome(db, actorOf(c, idempotency), caseId, stepKey, body.outcome, body.reason ?? null), syncChecklist(db, actorOf(c), caseId)),
  );
  if (!rows[0]) {
    const [{ rows: step }] = await c.var.db.batch((db) => [findCaseStep(db, caseId, stepKey)]);
    if (!step[0]) throw notFound(`step ${stepKey} on case ${caseId}`);
    if (!step[0].workable) throw new ProblemError('not_case_holder', 'only the station holding the case closes its steps');
    throw new ProblemError('step_not_pending', `the step is ${step[0].status}`, { members: { currentStatus: step[0].status } });
  }
  return c.json(toCaseStep(rows[0], [rows[0]], c.var.now), 200);
});
