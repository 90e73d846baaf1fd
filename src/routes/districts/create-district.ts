import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { createDistrict } from '../../db/queries/tenancy.js';
import { authenticatedProblems, conflictProblem, invalidField, notFound, notFoundProblem } from '../../http/problem.js';
import { displayName, tenancyCode, unitPathSchema } from '../../http/schemas.js';
import { nestsUnder } from '../../tenancy/codes.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { etagOf } from '../../http/etag.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { districtKind, districtSchema, toDistrict } from './district-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/districts',
  operationId: 'createDistrict',
  tags: ['Tenancy'],
  summary: 'Add a district or police commissionerate to a unit',
  description: 'Unit administrators only. The code must start with the unit code (`MH-PUNE` in `MH`). Audited. One database round trip.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: {
    params: unitPathSchema,
    headers: idempotencyHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ code: tenancyCode('MH-PUNE'), name: displayName, kind: districtKind.default('district') }).strict(),
        },
      },
    },
  },
  responses: {
    201: { description: 'Created.', headers: etagHeaders, content: { 'application/json': { schema: districtSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const createDistrictRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const district = c.req.valid('json');
  if (!nestsUnder(district.code, unitCode)) throw invalidField('/body/code', `a district code starts with its unit code: ${unitCode}-`);
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: district });
  const actor = actorOf(c, idempotency);
  const { rows } = await c.var.db.change(idempotency, (db) => createDistrict(db, actor, unitCode, district));
  if (!rows[0]) throw notFound(`unit ${unitCode}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toDistrict(rows[0]), 201);
});
