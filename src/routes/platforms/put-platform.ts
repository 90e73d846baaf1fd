import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { createUnitPlatform, findUnitPlatform, replaceUnitPlatform } from '../../db/queries/platform-directory.js';
import { etagOf, expectedVersion, staleVersion } from '../../http/etag.js';
import { authenticatedProblems, conflictProblem, notFound, notFoundProblem, preconditionProblems, ProblemError } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { platformInputSchema, platformPathSchema, platformSchema, toPlatform } from './platform-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'put',
  path: '/units/{unitCode}/platforms/{key}',
  operationId: 'putPlatform',
  tags: ['Platforms'],
  summary: 'Create or replace the unit\'s own entry for a platform',
  description:
    'Unit administrators only. The unit\'s entry takes the place of a shipped one with the same key, or adds a body the ' +
    'shipped directory lacks (a local bank, a regional app). **Without If-Match** the request creates the unit\'s entry (201) and ' +
    'is refused with 428 when the unit already has one, so two administrators cannot overwrite each other unawares. **With ' +
    'If-Match** (the ETag of the unit\'s entry, or `*`) it replaces the unit\'s entry (200); 412 when it changed, or when the ' +
    'unit has no entry of its own to replace (the shipped entry is never written here). Requests already sent keep their ' +
    'letters; a preservation period applies to requests sent after the change. Audited; one database round trip.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: {
    params: platformPathSchema,
    headers: z.object({
      'if-match': z
        .string()
        .max(100)
        .optional()
        .openapi({
          param: { name: 'if-match', in: 'header' },
          description: 'Absent: create the unit\'s entry. The ETag of the unit\'s entry (e.g. `"v2"`) or `*`: replace it.',
          example: '"v2"',
        }),
    }),
    body: { required: true, content: { 'application/json': { schema: platformInputSchema } } },
  },
  responses: {
    200: { description: 'Replaced.', headers: etagHeaders, content: { 'application/json': { schema: platformSchema } } },
    201: { description: 'Created.', headers: etagHeaders, content: { 'application/json': { schema: platformSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
    ...preconditionProblems,
  },
});

export const putPlatformRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, key } = c.req.valid('param');
  const entry = c.req.valid('json');
  const ifMatch = c.req.valid('header')['if-match'];
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);

  if (ifMatch === undefined) {
    const [{ rows }] = await c.var.db.batch((db) => [createUnitPlatform(db, actorOf(c), unitCode, key, entry)]);
    if (!rows[0]) {
      throw new ProblemError('precondition_required', `unit ${unitCode} already has its own entry for ${key}: send If-Match with its ETag to replace it`);
    }
    c.header('ETag', etagOf(rows[0].version));
    return c.json(toPlatform(rows[0]), 201);
  }

  const expected = expectedVersion(ifMatch);
  const [{ rows }] = await c.var.db.batch((db) => [replaceUnitPlatform(db, actorOf(c), unitCode, key, entry, expected)]);
  if (!rows[0]) {
    const [{ rows: own }] = await c.var.db.batch((db) => [findUnitPlatform(db, unitCode, key)]);
    if (own[0]) throw staleVersion();
    throw new ProblemError('precondition_failed', `unit ${unitCode} has no entry of its own for ${key}: send the PUT without If-Match to create one`);
  }
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toPlatform(rows[0]), 200);
});
