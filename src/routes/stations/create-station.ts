import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { createStation } from '../../db/queries/tenancy.js';
import { authenticatedProblems, conflictProblem, invalidField, notFound, notFoundProblem } from '../../http/problem.js';
import { displayName, tenancyCode, unitPathSchema } from '../../http/schemas.js';
import { nestsUnder } from '../../tenancy/codes.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { etagOf } from '../../http/etag.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { stationSchema, toStation } from './station-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/stations',
  operationId: 'createStation',
  tags: ['Tenancy'],
  summary: 'Add a police station to a district of the unit',
  description: 'Unit administrators only. The code must start with the district code. Audited. One database round trip.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: {
    params: unitPathSchema,
    headers: idempotencyHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              code: tenancyCode('MH-PUNE-KOTHRUD'),
              name: displayName,
              districtCode: tenancyCode('MH-PUNE'),
              isCyberCrimeStation: z.boolean().default(false),
            })
            .strict(),
        },
      },
    },
  },
  responses: {
    201: { description: 'Created.', headers: etagHeaders, content: { 'application/json': { schema: stationSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const createStationRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const station = c.req.valid('json');
  if (!nestsUnder(station.code, station.districtCode)) {
    throw invalidField('/body/code', `a station code starts with its district code: ${station.districtCode}-`);
  }
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: station });
  const actor = actorOf(c, idempotency);
  const { rows } = await c.var.db.change(idempotency, (db) => createStation(db, actor, unitCode, station));
  if (!rows[0]) throw notFound(`district ${station.districtCode} in unit ${unitCode}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toStation(rows[0]), 201);
});
