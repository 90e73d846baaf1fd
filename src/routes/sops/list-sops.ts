import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listSopVersions } from '../../db/queries/sop-versions.js';
import { authenticatedProblems } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { sopVersionSchema, toSopVersion } from './sop-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/sops',
  operationId: 'listSops',
  tags: ['SOP'],
  summary: 'SOP versions the caller may see',
  description: 'The shipped base, the caller\'s unit overlay versions and its stations\' local additions (a station sees its own). One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: {
    query: z.object({ layer: z.enum(['base', 'unit', 'station']).optional(), status: z.enum(['draft', 'published']).optional() }),
  },
  responses: {
    200: { description: 'The versions.', content: { 'application/json': { schema: z.object({ data: z.array(sopVersionSchema) }).openapi('SopVersionList') } } },
    ...authenticatedProblems,
  },
});

export const listSopsRoute = createRouter().openapi(route, async (c) => {
  const [{ rows }] = await c.var.db.batch((db) => [listSopVersions(db, c.req.valid('query'))]);
  return c.json({ data: rows.map(toSopVersion) }, 200);
});
