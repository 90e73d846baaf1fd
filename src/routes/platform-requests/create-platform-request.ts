import { CASE_STEP_KEY_PATTERN } from '../cases/case-sop-schema.js';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { caseIsVisible } from '../../db/queries/case-records.js';
import { storedOutcome } from '../../db/queries/idempotency.js';
import { createPlatformRequest, requestDraftingFacts } from '../../db/queries/platform-requests.js';
import { etagOf } from '../../http/etag.js';
import { idempotencyHeaderSchema, idempotencyOf, replayedRows } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFound, notFoundProblem, ProblemError } from '../../http/problem.js';
import { draftRequest } from '../../requests/draft-request.js';
import { REQUEST_KINDS } from '../../requests/request-workflow.js';
import { actorOf } from '../actor.js';
import { casePathSchema } from '../cases/case-schema.js';
import { platformKeySchema } from '../platforms/platform-schema.js';
import { createRouter } from '../router.js';
import { platformRequestSchema, toPlatformRequest } from './platform-request-schema.js';
import { placementOf, requireDraftable } from './request-conflicts.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/requests',
  operationId: 'createPlatformRequest',
  tags: ['Platforms'],
  summary: 'Draft a request to a platform: takedown, preservation, disclosure, payment hold, SIM/IMEI block',
  description:
    'The case\'s holder drafts it; the letter is written from the unit\'s template for the kind (else the shipped one) with ' +
    'the case\'s facts: its id as the reference, the station, the report time, the suspect identifiers that concern this ' +
    'platform and kind, the legal sections cited (by default the SOP step\'s own) and the officer. The platform key must be in ' +
    'the unit\'s directory (422 otherwise). `sopStepKey` ties it to a step of the case\'s checklist; without it, sending it ' +
    'completes the case\'s pending step for its kind. Audited; two database round trips (the facts, then the draft).',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: casePathSchema,
    headers: idempotencyHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              platformKey: platformKeySchema,
              kind: z.enum(REQUEST_KINDS),
              sopStepKey: z.string().max(150).regex(CASE_STEP_KEY_PATTERN, 'a step key of the case, e.g. platform-takedown.instagram').optional().openapi({ example: 'platform-takedown.instagram' }),
              legalSections: z
                .array(z.string().regex(/^[A-Z0-9][A-Z0-9.()-]*$/, 'a provision code such as IT-ACT-66E').max(64))
                .max(20)
                .refine((codes) => new Set(codes).size === codes.length, 'each section once')
                .optional()
                .openapi({ description: 'Codes from /v1/legal-provisions; by default the SOP step\'s own.', example: ['IT-RULES-2021-3-2-B', 'IT-ACT-66E'] }),
            })
            .strict()
            .openapi('PlatformRequestInput'),
        },
      },
    },
  },
  responses: {
    201: { description: 'Drafted.', headers: etagHeaders, content: { 'application/json': { schema: platformRequestSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const createPlatformRequestRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const body = c.req.valid('json');
  const { principal } = c.var;
  const question = { platformKey: body.platformKey, kind: body.kind, sopStepKey: body.sopStepKey ?? null, legalSections: body.legalSections ?? null };
  const idempotency = await idempotencyOf(principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: body });
  // A retry gets the first outcome even if the case has since been closed or transferred.
  const [{ rows: read }, outcome] = await c.var.db.batch((db) =>
    idempotency ? [requestDraftingFacts(db, caseId, question), storedOutcome(db, idempotency.owner, idempotency.key)] : [requestDraftingFacts(db, caseId, question)],
  );
  const stored = idempotency && outcome?.rows[0]?.result ? outcome.rows[0] : undefined;
  if (stored) {
    const first = replayedRows(idempotency!, stored)[0] as Parameters<typeof toPlatformRequest>[0];
    c.header('ETag', etagOf(first.version));
    return c.json(toPlatformRequest(first), 201);
  }
  const facts = requireDraftable(caseId, read[0], body);
  const officer = { subject: principal.subject, roles: principal.roles, placement: placementOf(principal) };
  const draft = await draftRequest(body, facts, officer, c.var.now);
  const { rows } = await c.var.db.change(idempotency, (db) => createPlatformRequest(db, actorOf(c, idempotency), caseId, draft));
  if (!rows[0]) {
    // The case moved away between the two round trips.
    const [{ rows: visible }] = await c.var.db.batch((db) => [caseIsVisible(db, caseId)]);
    if (!visible[0]) throw notFound(`case ${caseId}`);
    throw new ProblemError('not_case_holder', 'the case was transferred while the request was being drafted');
  }
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toPlatformRequest(rows[0]), 201);
});
