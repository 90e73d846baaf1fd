import { syncChecklist } from '../../db/queries/case-steps.js';
import { followedBy } from '../../db/tenant-runner.js';
import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { addReference } from '../../db/queries/case-records.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem } from '../../http/problem.js';
import { pastTimestampSchema } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema, REFERENCE_KINDS, referenceSchema, toReference } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const referenceInputSchema = z
  .object({
    kind: z.enum(REFERENCE_KINDS),
    value: z.string().trim().min(1).max(100).regex(/^[\p{L}\p{N}][\p{L}\p{N} ./:_-]*$/u, 'letters, digits, spaces and . / : _ -').openapi({ example: '0123/2026' }),
    sections: z.array(z.string().trim().min(1).max(60)).max(30).default([]).openapi({ example: ['IT Act 66E', 'IT Act 67A', 'BNS 308(2)'] }),
    issuedAt: pastTimestampSchema.optional(),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((reference) => reference.kind !== 'fir' || reference.sections.length > 0, { message: 'an FIR names the sections it is registered under', path: ['sections'] })
  .openapi('ExternalReferenceInput');

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/references',
  operationId: 'addCaseReference',
  tags: ['Cases'],
  summary: 'Record an external reference',
  description:
    'National reporting portal acknowledgement, helpline (1930) ticket, FIR number with its sections, a notice to an intermediary, ' +
    'a court order. The act completes its SOP step in the same transaction: an FIR completes register-fir (and starts the POCSO ' +
    'sections for a minor, and retires the action-taken report), a 1930 ticket report-1930, a portal acknowledgement ' +
    'portal-complaint. The same kind and value twice on a case is 409. Audited; one database round trip.',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: casePathSchema,
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: referenceInputSchema } } },
  },
  responses: {
    201: { description: 'Recorded.', content: { 'application/json': { schema: referenceSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const addReferenceRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const body = c.req.valid('json');
  const reference = { kind: body.kind, value: body.value, sections: body.sections, issuedAt: body.issuedAt ?? null, note: body.note ?? null };
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: reference });
  const { rows } = await c.var.db.change(idempotency, (db) => followedBy(addReference(db, actorOf(c, idempotency), caseId, reference), syncChecklist(db, actorOf(c), caseId)));
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, null);
  }
  return c.json(toReference(rows[0].reference), 201);
});
