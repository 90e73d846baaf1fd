import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findStation, updateStation } from '../../db/queries/tenancy.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { atLeastOneChange, displayName, tenancyCode } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { stationSchema, toStation } from './station-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'patch',
  path: '/units/{unitCode}/stations/{stationCode}',
  operationId: 'updateStation',
  tags: ['Tenancy'],
  summary: 'Rename a station or mark it a cyber crime police station',
  description: 'Unit administrators only; codes never change. Audited. One database round trip.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: {
    params: z.object({
      unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }),
      stationCode: tenancyCode('MH-PUNE-KOTHRUD').openapi({ param: { name: 'stationCode', in: 'path' } }),
    }),
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ name: displayName.optional(), isCyberCrimeStation: z.boolean().optional() })
            .strict()
            .refine(...atLeastOneChange),
        },
      },
    },
  },
  responses: {
    200: { description: 'Updated.', headers: etagHeaders, content: { 'application/json': { schema: stationSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const updateStationRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, stationCode } = c.req.valid('param');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  const actor = actorOf(c);
  const updated = await c.var.db.updateIfCurrent((db) => updateStation(db, actor, unitCode, stationCode, c.req.valid('json'), version), (db) => findStation(db, unitCode, stationCode), `station ${stationCode}`);
  c.header('ETag', etagOf(updated.version));
  return c.json(toStation(updated), 200);
});
