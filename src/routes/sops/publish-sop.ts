import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findSopVersion, publishSopVersion } from '../../db/queries/sop-versions.js';
import { etagOf, optionalIfMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, conflictProblem, notFoundProblem, stalePreconditionProblem } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { optionalVersion } from '../cases/optional-version.js';
import { createRouter } from '../router.js';
import { assertMayEdit, publishedIsFinal } from './published-is-final.js';
import { sopPathSchema, sopVersionSchema, toSopVersion } from './sop-schema.js';
import { checkedSop } from './validate-sop.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/sops/{sopId}/publish',
  operationId: 'publishSop',
  tags: ['SOP'],
  summary: 'Publish a draft: new cases at its stations get it',
  description:
    'Validates first (422 with the problems), then numbers and freezes the version. Running cases keep the versions they started ' +
    'with until migrated (POST /v1/cases/{caseId}/sop/migrate). If-Match (optional) makes sure you publish what you validated. ' +
    'Audited; two database round trips (validate, publish).',
  security: callersWith('sop:manage'),
  middleware: requirePermission('sop:manage'),
  request: { params: sopPathSchema, headers: optionalIfMatchHeaderSchema },
  responses: {
    200: { description: 'Published.', headers: etagHeaders, content: { 'application/json': { schema: sopVersionSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
    ...stalePreconditionProblem,
  },
});

export const publishSopRoute = createRouter().openapi(route, async (c) => {
  const { sopId } = c.req.valid('param');
  const expected = optionalVersion(c.req.valid('header')['if-match']);
  const { version } = await checkedSop(c.var.db, sopId);
  assertMayEdit(c.var.principal, publishedIsFinal(version, sopId));
  const published = await c.var.db.updateIfCurrent(
    (db) => publishSopVersion(db, actorOf(c), sopId, expected),
    (db) => findSopVersion(db, sopId),
    `SOP version ${sopId}`,
  );
  c.header('ETag', etagOf(published.version));
  return c.json(toSopVersion(published), 200);
});
