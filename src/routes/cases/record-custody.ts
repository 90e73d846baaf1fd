import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { bytesOfBase64, sha256OfBytes } from '../../cases/evidence-hash.js';
import { caseStanding } from '../../db/queries/cases.js';
import { findEvidence, recordCustody, type CustodyInput } from '../../db/queries/evidence.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, invalidField, notFound, notFoundProblem } from '../../http/problem.js';
import { pastTimestampSchema } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { whyUnchanged } from '../../cases/refusals.js';
import { problemOf } from './case-conflicts.js';
import { custodianSchema } from './case-schema.js';
import { contentSchema, custodyEventSchema, sha256Schema, toCustodyEvent } from './evidence-schema.js';
import { evidencePathSchema } from './get-evidence.js';
import { callersWith } from '../../http/security.js';

const custodyInputSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('handed_over'), to: custodianSchema, occurredAt: pastTimestampSchema.optional(), note: z.string().trim().max(2000).optional() }).strict(),
    z
      .object({
        kind: z.literal('reverified'),
        sha256: sha256Schema.optional(),
        content: contentSchema.optional(),
        occurredAt: pastTimestampSchema.optional(),
        note: z.string().trim().max(2000).optional(),
      })
      .strict(),
  ])
  .refine((event) => event.kind !== 'reverified' || (event.sha256 === undefined) !== (event.content === undefined), {
    message: 'a re-verification sends either sha256 or content',
    path: ['sha256'],
  })
  .openapi('CustodyInput');

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/evidence/{evidenceId}/custody',
  operationId: 'recordCustody',
  tags: ['Evidence'],
  summary: 'Record a hand-over or a re-verification of an evidence item',
  description:
    'A hand-over names the new custodian. A re-verification records the hash found now (sent, or computed from `content`); a ' +
    'hash other than the one taken at capture is recorded with `matches: false` and marks the item `mismatch` for good. ' +
    'Audited; one database round trip.',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: evidencePathSchema,
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: custodyInputSchema } } },
  },
  responses: {
    201: {
      description: 'Recorded.',
      content: {
        'application/json': {
          schema: z
            .object({ event: custodyEventSchema, evidence: z.object({ id: z.uuid(), integrity: z.enum(['intact', 'mismatch']), version: z.number().int() }) })
            .openapi('CustodyRecorded'),
        },
      },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const recordCustodyRoute = createRouter().openapi(route, async (c) => {
  const { caseId, evidenceId } = c.req.valid('param');
  const body = c.req.valid('json');
  const occurredAt = body.occurredAt ?? c.var.now.toISOString();
  let event: CustodyInput;
  if (body.kind === 'handed_over') {
    event = { kind: 'handed_over', to: body.to, occurredAt, note: body.note ?? null };
  } else {
    let sha256 = body.sha256;
    if (body.content !== undefined) {
      const bytes = bytesOfBase64(body.content);
      if (!bytes) throw invalidField('/body/content', 'not base64');
      sha256 = await sha256OfBytes(bytes);
    }
    event = { kind: 'reverified', sha256: sha256!, occurredAt, note: body.note ?? null };
  }
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: body });
  const { rows } = await c.var.db.change(idempotency, (db) => recordCustody(db, actorOf(c, idempotency), caseId, evidenceId, event));
  if (!rows[0]) {
    const [{ rows: standing }, { rows: item }] = await c.var.db.batch((db) => [caseStanding(db, caseId), findEvidence(db, caseId, evidenceId)]);
    if (standing[0]?.workable && !item[0]) throw notFound(`evidence item ${evidenceId} on case ${caseId}`);
    throw problemOf(whyUnchanged(caseId, standing[0], null, () => ({ refusal: 'not_visible', what: `evidence item ${evidenceId} on case ${caseId}` })));
  }
  const recorded = rows[0];
  return c.json({ event: toCustodyEvent(recorded.event), evidence: { id: recorded.evidenceId, integrity: recorded.integrity, version: recorded.version } }, 201);
});
