import { createRoute, z } from '@hono/zod-openapi';
import { requireAnyPermission } from '../../auth/require-auth.js';
import { syncChecklist } from '../../db/queries/case-steps.js';
import { completeAnsweredStep,
  extendPreservation, requestStanding, transitionPlatformRequest } from '../../db/queries/platform-requests.js';
import { followedBy } from '../../db/tenant-runner.js';
import { etagOf, optionalIfMatchHeaderSchema } from '../../http/etag.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem, stalePreconditionProblem, ProblemError } from '../../http/problem.js';
import { PRESERVATION_REMINDER_LEAD_DAYS } from '../../requests/preservation.js';
import { endsRequest, isPlatformAnswer, kindsApprovableBy, mayAttempt, REQUEST_TARGETS, requestStatusesAllowing } from '../../requests/request-workflow.js';
import { actorOf } from '../actor.js';
import { optionalVersion } from '../cases/optional-version.js';
import { createRouter } from '../router.js';
import { platformRequestSchema, requestPathSchema, toPlatformRequest } from './platform-request-schema.js';
import { explainUnmovedRequest } from './request-conflicts.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/requests/{requestId}/transitions',
  operationId: 'transitionPlatformRequest',
  tags: ['Platforms'],
  summary: 'Move a platform request along: approve, send, record the platform\'s answer',
  description:
    '`draft → approved → sent → acknowledged → actioned`; from `sent` or `acknowledged` also `refused` or `expired`. Each move ' +
    'is recorded in `transitions` with its time and officer. **Approval** of a takedown, disclosure, emergency disclosure, ' +
    'payment hold or SIM/IMEI block needs cases:supervise (police orders come from a specially authorised senior officer); a ' +
    'preservation request may be approved by the officer working the case (cases:work). Every other move needs cases:work. ' +
    '**Sending** completes the SOP step the request answers (its `sopStepKey`, else the case\'s earliest pending step for its ' +
    'kind) and brings the checklist up to date, in the same transaction; a preservation request gets `preservationUntil` (the ' +
    `directory's preservation period from now) and a reminder ${PRESERVATION_REMINDER_LEAD_DAYS} days before (half-way for short periods). ` +
    'Refused or expired clears the reminder. An illegal move is a 409 naming the allowed ones. If-Match is optional. Audited; ' +
    'one database round trip.',
  security: callersWith('cases:work'),
  middleware: requireAnyPermission('cases:work', 'cases:supervise'),
  request: {
    params: requestPathSchema,
    headers: idempotencyHeaderSchema.extend(optionalIfMatchHeaderSchema.shape),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              to: z.enum(REQUEST_TARGETS),
              externalReference: z.string().trim().min(1).max(200).optional().openapi({ description: 'The platform\'s or portal\'s ticket or reference.', example: 'LE-2026-118842' }),
              note: z.string().trim().min(1).max(2000).optional(),
            })
            .strict()
            .openapi('PlatformRequestTransitionInput'),
        },
      },
    },
  },
  responses: {
    200: { description: 'The request after the move.', headers: etagHeaders, content: { 'application/json': { schema: platformRequestSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
    ...stalePreconditionProblem,
  },
});

export const transitionPlatformRequestRoute = createRouter().openapi(route, async (c) => {
  const { caseId, requestId } = c.req.valid('param');
  const body = c.req.valid('json');
  const headers = c.req.valid('header');
  const expected = optionalVersion(headers['if-match']);
  const { permissions } = c.var.principal;
  if (!mayAttempt(body.to, permissions)) {
    throw new ProblemError('forbidden', `moving a request to ${body.to} needs the cases:work permission`);
  }
  const approvableKinds = kindsApprovableBy(permissions);
  const move = {
    to: body.to,
    from: requestStatusesAllowing(body.to),
    approvableKinds,
    isResponse: isPlatformAnswer(body.to),
    clearsReminder: endsRequest(body.to),
    reminderLeadDays: PRESERVATION_REMINDER_LEAD_DAYS,
    externalReference: body.externalReference ?? null,
    note: body.note ?? null,
  };
  const idempotency = await idempotencyOf(c.var.principal, headers['idempotency-key'], { method: 'POST', path: c.req.path, payload: body });
  const { rows } = await c.var.db.change(idempotency, (db) => {
    const moved = transitionPlatformRequest(db, actorOf(c, idempotency), caseId, requestId, move, expected);
    if (body.to === 'sent') {
      return followedBy(
        moved,
        completeAnsweredStep(db, actorOf(c), caseId, requestId),
        extendPreservation(db, actorOf(c), caseId, requestId, PRESERVATION_REMINDER_LEAD_DAYS),
        syncChecklist(db, actorOf(c), caseId),
      );
    }
    return move.isResponse ? followedBy(moved, syncChecklist(db, actorOf(c), caseId)) : moved;
  });
  if (!rows[0]) {
    const [{ rows: standing }] = await c.var.db.batch((db) => [requestStanding(db, caseId, requestId)]);
    throw explainUnmovedRequest(`platform request ${requestId} on case ${caseId}`, standing[0], body.to, expected, approvableKinds);
  }
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toPlatformRequest(rows[0]), 200);
});
