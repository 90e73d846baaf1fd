import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findSopVersion, updateSopDraft } from '../../db/queries/sop-versions.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, conflictProblem, invalidField, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { bodySchemaOf } from '../../sop/step-definition.js';
import { actorOf } from '../actor.js';
import { atLeastOneChange } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { assertMayEdit, publishedIsFinal } from './published-is-final.js';
import { sopPathSchema, sopVersionSchema, toSopVersion } from './sop-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'patch',
  path: '/sops/{sopId}',
  operationId: 'updateSopDraft',
  tags: ['SOP'],
  summary: 'Edit a draft',
  description: 'Drafts only: a published version never changes (409). Requires If-Match. Audited.',
  security: callersWith('sop:manage'),
  middleware: requirePermission('sop:manage'),
  request: {
    params: sopPathSchema,
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ title: z.string().trim().min(1).max(200).optional(), notes: z.string().max(4000).optional(), body: z.record(z.string(), z.unknown()).optional() })
            .strict()
            .refine(...atLeastOneChange),
        },
      },
    },
  },
  responses: {
    200: { description: 'Updated.', headers: etagHeaders, content: { 'application/json': { schema: sopVersionSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
    ...preconditionProblems,
  },
});

export const updateSopDraftRoute = createRouter().openapi(route, async (c) => {
  const { sopId } = c.req.valid('param');
  const changes = c.req.valid('json');
  const expected = expectedVersion(c.req.valid('header')['if-match']);
  const [{ rows: current }] = await c.var.db.batch((db) => [findSopVersion(db, sopId)]);
  const draft = publishedIsFinal(current[0], sopId);
  assertMayEdit(c.var.principal, draft);
  if (changes.body !== undefined) {
    const parsed = bodySchemaOf[draft.layer].safeParse(changes.body);
    if (!parsed.success) throw invalidField(`/body/body/${parsed.error.issues[0]!.path.join('/')}`, parsed.error.issues[0]!.message);
    changes.body = parsed.data;
  }
  const updated = await c.var.db.updateIfCurrent(
    (db) => updateSopDraft(db, actorOf(c), sopId, changes, expected),
    (db) => findSopVersion(db, sopId),
    `SOP version ${sopId}`,
  );
  c.header('ETag', etagOf(updated.version));
  return c.json(toSopVersion(updated), 200);
});
