import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { sha256OfBytes } from '../../cases/evidence-hash.js';
import { addNote } from '../../db/queries/case-records.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem } from '../../http/problem.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const noteSchema = z.object({ id: z.uuid(), body: z.string(), addedAt: timestampSchema, addedBy: z.string() }).openapi('CaseNote');

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/notes',
  operationId: 'addCaseNote',
  tags: ['Cases'],
  summary: 'Add a note to the case\'s timeline',
  description: 'Notes are never edited or removed; the audit event carries the note\'s SHA-256. One database round trip.',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: casePathSchema,
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: z.object({ body: z.string().trim().min(1).max(20000) }).strict() } } },
  },
  responses: {
    201: { description: 'Added.', content: { 'application/json': { schema: noteSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const addNoteRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const { body } = c.req.valid('json');
  const bodySha256 = await sha256OfBytes(new TextEncoder().encode(body));
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: { body } });
  const { rows } = await c.var.db.change(idempotency, (db) => addNote(db, actorOf(c, idempotency), caseId, body, bodySha256));
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, null);
  }
  const note = rows[0];
  return c.json({ id: note.id, body: note.body, addedAt: toRfc3339(note.addedAt), addedBy: note.addedBy }, 201);
});
