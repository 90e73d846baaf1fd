import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listVisibleStations } from '../../db/queries/stations.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems } from '../../http/problem.js';
import { tenancyCode } from '../../http/schemas.js';
import { tenancyCodePattern } from '../../tenancy/codes.js';
import { createRouter } from '../router.js';
import { stationSchema, toStation } from './station-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/stations',
  operationId: 'listStations',
  tags: ['Tenancy'],
  summary: 'Police stations the caller may see',
  description:
    'A station officer sees their station, a district supervisor the district\'s stations, a unit administrator ' +
    'the unit\'s. Ordered by code. One database round trip.',
  security: callersWith('tenancy:read'),
  middleware: requirePermission('tenancy:read'),
  request: {
    query: z.object({ ...pageQuerySchema, district: tenancyCode('MH-PUNE').optional().openapi({ description: 'Only this district\'s stations.' }) }),
  },
  responses: {
    200: {
      description: 'A page of stations.',
      content: { 'application/json': { schema: z.object({ data: z.array(stationSchema), pagination: paginationSchema }).openapi('StationPage') } },
    },
    ...authenticatedProblems,
  },
});

const cursorSchema = z.object({ after: z.string().regex(tenancyCodePattern) });

export const listStations = createRouter().openapi(route, async (c) => {
  const { cursor, limit, district } = c.req.valid('query');
  const afterCode = cursor ? decodeCursor(cursor, cursorSchema).after : undefined;
  const [rows] = await c.var.db.batch((db) => [listVisibleStations(db, { afterCode, districtCode: district, limit })]);
  return c.json(pageOf(rows, limit, (row) => row.code, toStation), 200);
});
