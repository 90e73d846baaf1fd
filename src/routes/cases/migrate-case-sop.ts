import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { repinCaseSop, syncChecklist } from '../../db/queries/case-steps.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/sop/migrate',
  operationId: 'migrateCaseSop',
  tags: ['SOP'],
  summary: 'Move a running case to the SOP versions in force now',
  description:
    'Publishing never changes a running case; this does, on purpose. Steps of the new versions that apply are added, pending ' +
    'steps the new versions drop are retired, closed steps stay as they are. For supervisors (cases:supervise). Audited; one ' +
    'database round trip.',
  security: callersWith('cases:supervise'),
  middleware: requirePermission('cases:supervise'),
  request: { params: casePathSchema, headers: idempotencyHeaderSchema },
  responses: {
    204: { description: 'Migrated; read GET /v1/cases/{caseId}/sop.' },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const migrateCaseSopRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: null });
  const { rows } = await c.var.db.change(idempotency, (db) => ({ statements: [repinCaseSop(db, actorOf(c, idempotency), caseId), syncChecklist(db, actorOf(c), caseId)], result: 0 }));
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, null, () => ({ refusal: 'case_closed', why: 'a closed case keeps its SOP' }));
  }
  return c.body(null, 204);
});

