import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findSopVersion, resolvedStepsOf } from '../../db/queries/sop-versions.js';
import { etagOf } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { sopPathSchema, sopVersionSchema, toSopVersion } from './sop-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'get',
  path: '/sops/{sopId}',
  operationId: 'getSop',
  tags: ['SOP'],
  summary: 'One SOP version, and the steps it composes to',
  description: '`resolvedSteps`: an overlay applied to the newest published base (and a station\'s additions to its unit\'s), as a case would get them. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: sopPathSchema },
  responses: {
    200: {
      description: 'The version.',
      headers: etagHeaders,
      content: {
        'application/json': {
          schema: sopVersionSchema.extend({ resolvedSteps: z.array(z.record(z.string(), z.unknown())) }).openapi('SopVersionWithSteps'),
        },
      },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getSopRoute = createRouter().openapi(route, async (c) => {
  const { sopId } = c.req.valid('param');
  const [{ rows }, { rows: steps }] = await c.var.db.batch((db) => [findSopVersion(db, sopId), resolvedStepsOf(db, sopId)]);
  if (!rows[0]) throw notFound(`SOP version ${sopId}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json({ ...toSopVersion(rows[0]), resolvedSteps: steps.map((row) => row.step as Record<string, unknown>) }, 200);
});
