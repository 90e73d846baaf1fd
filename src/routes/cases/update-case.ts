import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { syncChecklist } from '../../db/queries/case-steps.js';
import { updateCaseDetails, type CaseDetails } from '../../db/queries/cases.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { atLeastOneChange } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema, caseSchema, complainantSchema, incidentSchema, toCase, victimSchema } from './case-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'patch',
  path: '/cases/{caseId}',
  operationId: 'updateCase',
  tags: ['Cases'],
  summary: 'Correct or complete the complainant, victim, incident or narrative',
  description:
    'Each object given replaces the recorded one whole (send what you read, changed). Only officers of the station holding ' +
    'the case change it (cases:work); supervisors read it. Requires If-Match. The audit event names the fields changed, not their personal ' +
    'contents. A changed fact (minor victim, images circulated, platforms) adds or retires SOP steps in the same transaction. One database round trip.',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: casePathSchema,
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              complainant: complainantSchema.optional(),
              victim: victimSchema.optional(),
              incident: incidentSchema.optional(),
              narrative: z.string().trim().max(20000).optional(),
            })
            .strict()
            .refine(...atLeastOneChange),
        },
      },
    },
  },
  responses: {
    200: { description: 'The case, changed.', headers: etagHeaders, content: { 'application/json': { schema: caseSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const updateCaseRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const body = c.req.valid('json');
  const expected = expectedVersion(c.req.valid('header')['if-match']);
  const changes: Partial<CaseDetails> = {
    ...(body.complainant && { complainant: body.complainant }),
    ...(body.victim && { victim: body.victim, victimIsMinor: body.victim.isMinor ?? (body.victim.age !== undefined && body.victim.age < 18) }),
    ...(body.incident && {
      incident: body.incident,
      platforms: body.incident.platforms,
      imagesCirculated: body.incident.imagesCirculated,
      amountDemanded: body.incident.amountDemanded ?? null,
    }),
    ...(body.narrative !== undefined && { narrative: body.narrative }),
  };
  const [{ rows }] = await c.var.db.batch((db) => [updateCaseDetails(db, actorOf(c), caseId, changes, expected), syncChecklist(db, actorOf(c), caseId)]);
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, expected);
  }
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toCase(rows[0], c.var.principal), 200);
});
