import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { bytesOfBase64, sha256OfBytes } from '../../cases/evidence-hash.js';
import { addEvidence } from '../../db/queries/evidence.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, invalidField, notFoundProblem } from '../../http/problem.js';
import { pastTimestampSchema } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema, custodianSchema } from './case-schema.js';
import { contentSchema, EVIDENCE_KINDS, evidenceSchema, sha256Schema, toEvidence } from './evidence-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/evidence',
  operationId: 'addEvidence',
  tags: ['Evidence'],
  summary: 'Record an evidence item and the hash taken at capture',
  description:
    'Send the SHA-256 taken at capture (`sha256`), or the bytes (`content`, base64) for the API to hash; the bytes are not ' +
    'stored. The capture is the first link of the item\'s chain of custody; the capturing officer is its first custodian. ' +
    'Audited; one database round trip.',
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
              kind: z.enum(EVIDENCE_KINDS),
              description: z.string().trim().min(1).max(2000),
              sha256: sha256Schema.optional(),
              content: contentSchema.optional(),
              fileName: z.string().trim().min(1).max(255).optional(),
              mediaType: z.string().regex(/^[A-Za-z]+\/[A-Za-z0-9.+-]+$/, 'a media type such as image/png').max(100).optional(),
              sizeBytes: z.number().int().min(0).max(1e15).optional(),
              capturedAt: pastTimestampSchema,
              capturedBy: custodianSchema.optional().openapi({ description: 'Defaults to the caller.' }),
            })
            .strict()
            .refine((item) => (item.sha256 === undefined) !== (item.content === undefined), { message: 'send either sha256 or content, not both', path: ['sha256'] })
            .openapi('EvidenceInput'),
        },
      },
    },
  },
  responses: {
    201: { description: 'Recorded.', content: { 'application/json': { schema: evidenceSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const addEvidenceRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const body = c.req.valid('json');
  let sha256 = body.sha256;
  let sizeBytes = body.sizeBytes ?? null;
  if (body.content !== undefined) {
    const bytes = bytesOfBase64(body.content);
    if (!bytes) throw invalidField('/body/content', 'not base64');
    sha256 = await sha256OfBytes(bytes);
    if (sizeBytes !== null && sizeBytes !== bytes.length) throw invalidField('/body/sizeBytes', `the content is ${bytes.length} bytes`);
    sizeBytes = bytes.length;
  }
  const item = {
    kind: body.kind,
    description: body.description,
    fileName: body.fileName ?? null,
    mediaType: body.mediaType ?? null,
    sizeBytes,
    sha256: sha256!,
    hashOrigin: body.content !== undefined ? ('computed' as const) : ('supplied' as const),
    capturedAt: body.capturedAt,
    capturedBy: body.capturedBy ?? { name: c.var.principal.subject, subject: c.var.principal.subject },
  };
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: item });
  const { rows } = await c.var.db.change(idempotency, (db) => addEvidence(db, actorOf(c, idempotency), caseId, item));
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, null);
  }
  return c.json(toEvidence(rows[0]), 201);
});
