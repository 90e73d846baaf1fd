import { createRoute, z } from '@hono/zod-openapi';
import { requireAnyPermission } from '../../auth/require-auth.js';
import { CLOSURE_REASONS, needsSupervision, permissionForMove, statusesAllowing, TRANSITION_TARGETS } from '../../cases/workflow.js';
import { syncChecklist } from '../../db/queries/case-steps.js';
import { transitionCase } from '../../db/queries/cases.js';
import { followedBy } from '../../db/tenant-runner.js';
import { etagOf, optionalIfMatchHeaderSchema } from '../../http/etag.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem, stalePreconditionProblem, ProblemError } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { illegalTransition, refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema, caseSchema, toCase } from './case-schema.js';
import { optionalVersion } from './optional-version.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/transitions',
  operationId: 'transitionCase',
  tags: ['Cases'],
  summary: 'Move a case along its workflow',
  description:
    '`reported → triaged → under_investigation → fir_registered → closed`; a transferred case is taken up from `transferred`. ' +
    'Ordinary moves need cases:work; closing (with a closure reason) and reopening a closed case need cases:supervise, which ' +
    'is also enough for them alone (a district supervisor closes a duplicate). FIR registration needs an FIR reference ' +
    'on the case. An illegal move is a 409 that names the allowed ones. If-Match is optional here (the status itself guards the ' +
    'move). Audited; one database round trip.',
  security: callersWith('cases:work'),
  middleware: requireAnyPermission('cases:work', 'cases:supervise'),
  request: {
    params: casePathSchema,
    headers: idempotencyHeaderSchema.extend(optionalIfMatchHeaderSchema.shape),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              to: z.enum(TRANSITION_TARGETS),
              reason: z.string().trim().min(1).max(2000).optional(),
              closureReason: z.enum(CLOSURE_REASONS).optional(),
            })
            .strict()
            .refine((body) => (body.to === 'closed') === (body.closureReason !== undefined), {
              message: 'a closureReason is given when, and only when, closing',
              path: ['closureReason'],
            }),
        },
      },
    },
  },
  responses: {
    200: { description: 'The case after the move.', headers: etagHeaders, content: { 'application/json': { schema: caseSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
    ...stalePreconditionProblem,
  },
});

export const transitionCaseRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const body = c.req.valid('json');
  const headers = c.req.valid('header');
  const expected = optionalVersion(headers['if-match']);
  const maySupervise = c.var.principal.permissions.has('cases:supervise');
  if (needsSupervision(null, body.to) && !maySupervise) {
    throw new ProblemError('forbidden', 'closing a case needs the cases:supervise permission');
  }
  const from = statusesAllowing(body.to).filter((status) => c.var.principal.permissions.has(permissionForMove(status, body.to)));
  if (from.length === 0) throw new ProblemError('forbidden', `moving a case to ${body.to} needs the cases:work permission`);
  const idempotency = await idempotencyOf(c.var.principal, headers['idempotency-key'], { method: 'POST', path: c.req.path, payload: body });
  const { rows } = await c.var.db.change(idempotency, (db) =>
    followedBy(
      transitionCase(db, actorOf(c, idempotency), caseId, { to: body.to, from, reason: body.reason ?? null, closureReason: body.closureReason ?? null }, expected),
      syncChecklist(db, actorOf(c), caseId),
    ),
  );
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, expected, illegalTransition(body.to, from));
  }
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toCase(rows[0], c.var.principal), 200);
});
