import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../auth/require-auth.js';
import { listVisibleStations } from '../../db/queries/stations.js';
import { decodeCursor, encodeCursor, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems } from '../../http/problem.js';
import { createRouter } from '../router.js';

const tenancyCode = z.string().regex(/^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$/, 'an upper-case tenancy code such as MH-PUNE');

export const stationSchema = z
  .object({
    code: z.string().openapi({ example: 'MH-PUNE-SHIVAJINAGAR' }),
    name: z.string().openapi({ example: 'Shivajinagar Police Station' }),
    isCyberCrimeStation: z.boolean(),
    unitCode: z.string().openapi({ example: 'MH' }),
    district: z.object({
      code: z.string().openapi({ example: 'MH-PUNE' }),
      name: z.string().openapi({ example: 'Pune City Police Commissionerate' }),
    }),
  })
  .openapi('Station');

const route = createRoute({
  method: 'get',
  path: '/stations',
  operationId: 'listStations',
  tags: ['Tenancy'],
  summary: 'Police stations the caller may see',
  description:
    'A station officer sees their station, a district supervisor the district\'s stations, a unit administrator ' +
    'the unit\'s. Ordered by code. One database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth] as const,
  request: {
    query: z.object({ ...pageQuerySchema, district: tenancyCode.optional().openapi({ description: 'Only this district\'s stations.' }) }),
  },
  responses: {
    200: {
      description: 'A page of stations.',
      content: { 'application/json': { schema: z.object({ data: z.array(stationSchema), pagination: paginationSchema }).openapi('StationPage') } },
    },
    ...authenticatedProblems,
  },
});

const cursorSchema = z.object({ after: z.string() });

export const listStations = createRouter().openapi(route, async (c) => {
  const { cursor, limit, district } = c.req.valid('query');
  const afterCode = cursor ? decodeCursor(cursor, cursorSchema).after : undefined;
  const [rows] = await c.var.db.batch((db) => [listVisibleStations(db, { afterCode, districtCode: district, limit })]);
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  return c.json(
    {
      data: page.map((row) => ({
        code: row.code,
        name: row.name,
        isCyberCrimeStation: row.isCyberCrimeStation,
        unitCode: row.unitCode,
        district: { code: row.districtCode, name: row.districtName },
      })),
      pagination: { nextCursor: hasMore ? encodeCursor({ after: page.at(-1)!.code }) : null, hasMore },
    },
    200,
  );
});
