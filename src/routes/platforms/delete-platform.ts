import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { deleteUnitPlatform, findUnitPlatform } from '../../db/queries/platform-directory.js';
import { expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { platformPathSchema } from './platform-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'delete',
  path: '/units/{unitCode}/platforms/{key}',
  operationId: 'deletePlatform',
  tags: ['Platforms'],
  summary: 'Remove the unit\'s own entry, falling back to the shipped one',
  description:
    'Unit administrators only. Requires If-Match (the ETag of the unit\'s entry, or `*`). Afterwards the key shows the shipped ' +
    'entry again, or nothing when the unit had added it. 404 when the unit has no entry of its own for the key. Requests ' +
    'already on cases keep their letters. Audited.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: { params: platformPathSchema, headers: ifMatchHeaderSchema },
  responses: {
    204: { description: 'Removed.' },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const deletePlatformRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, key } = c.req.valid('param');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  await c.var.db.updateIfCurrent(
    (db) => deleteUnitPlatform(db, actorOf(c), unitCode, key, version),
    (db) => findUnitPlatform(db, unitCode, key),
    `own entry for platform ${key} in unit ${unitCode}`,
  );
  return c.body(null, 204);
});
