import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listPlatforms } from '../../db/queries/platform-directory.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { platformKeySchema, platformSchema, toPlatform } from './platform-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/platforms',
  operationId: 'listPlatforms',
  tags: ['Platforms'],
  summary: 'The platforms and bodies the unit contacts, with channels, turnaround and preservation periods',
  description:
    'The directory as shipped, with the unit\'s own entries in place of shipped ones of the same key (`source` says which). ' +
    'Anyone placed in the unit with cases:read. Keyset pagination on the key. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: unitPathSchema, query: z.object(pageQuerySchema) },
  responses: {
    200: {
      description: 'A page of entries, by key.',
      content: { 'application/json': { schema: z.object({ data: z.array(platformSchema), pagination: paginationSchema }).openapi('PlatformPage') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listPlatformsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const { cursor, limit } = c.req.valid('query');
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  const afterKey = cursor ? decodeCursor(cursor, z.object({ after: platformKeySchema })).after : undefined;
  const [{ rows }] = await c.var.db.batch((db) => [listPlatforms(db, unitCode, { afterKey, limit })]);
  return c.json(pageOf(rows, limit, (row) => row.key, toPlatform), 200);
});
