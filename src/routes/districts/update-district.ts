import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findDistrict, updateDistrict } from '../../db/queries/tenancy.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { atLeastOneChange, displayName, tenancyCode } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { districtKind, districtSchema, toDistrict } from './district-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'patch',
  path: '/units/{unitCode}/districts/{districtCode}',
  operationId: 'updateDistrict',
  tags: ['Tenancy'],
  summary: 'Rename a district or change its kind',
  description: 'Unit administrators only; codes never change. Audited. One database round trip.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: {
    params: z.object({
      unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }),
      districtCode: tenancyCode('MH-PUNE').openapi({ param: { name: 'districtCode', in: 'path' } }),
    }),
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ name: displayName.optional(), kind: districtKind.optional() })
            .strict()
            .refine(...atLeastOneChange),
        },
      },
    },
  },
  responses: {
    200: { description: 'Updated.', headers: etagHeaders, content: { 'application/json': { schema: districtSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const updateDistrictRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, districtCode } = c.req.valid('param');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  const actor = actorOf(c);
  const updated = await c.var.db.updateIfCurrent((db) => updateDistrict(db, actor, unitCode, districtCode, c.req.valid('json'), version), (db) => findDistrict(db, unitCode, districtCode), `district ${districtCode}`);
  c.header('ETag', etagOf(updated.version));
  return c.json(toDistrict(updated), 200);
});
