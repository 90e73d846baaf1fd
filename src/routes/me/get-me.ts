import { createRoute, z } from '@hono/zod-openapi';
import { requireAuth } from '../../auth/require-auth.js';
import { permissions } from '../../auth/permissions.js';
import { roles } from '../../auth/roles.js';
import { authenticatedProblems } from '../../http/problem.js';
import { createRouter } from '../router.js';

const callerSchema = z
  .object({
    issuer: z.string().openapi({ example: 'https://sso.mahapolice.example/realms/officers' }),
    subject: z.string().openapi({ example: '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f' }),
    clientId: z.string().nullable().openapi({ description: 'The machine client, for a client credentials token.' }),
    roles: z.array(z.enum(roles)),
    permissions: z.array(z.enum(permissions)),
    level: z.enum(['platform', 'unit', 'district', 'station']).openapi({ description: 'Where the caller stands in the tenancy tree: what it may see.' }),
    unitCode: z.string().nullable().openapi({ example: 'MH' }),
    districtCode: z.string().nullable().openapi({ description: 'For a caller placed at a district.', example: null }),
    stationCode: z.string().nullable().openapi({ description: 'For a caller placed at a station.', example: 'MH-PUNE-SHIVAJINAGAR' }),
  })
  .openapi('Caller');

const route = createRoute({
  method: 'get',
  path: '/me',
  operationId: 'getCaller',
  tags: ['Identity'],
  summary: 'Who the token says the caller is',
  description:
    'The roles, permissions and place in the tenancy tree the API takes from the bearer token, after the identity provider\'s ' +
    'role map: what a frontend shows and offers. Any valid token may ask. No database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: [requireAuth],
  responses: {
    200: { description: 'The caller.', content: { 'application/json': { schema: callerSchema } } },
    ...authenticatedProblems,
  },
});

export const getCallerRoute = createRouter().openapi(route, (c) => {
  const { principal } = c.var;
  const { tenancy } = principal;
  c.header('Cache-Control', 'private, no-store');
  return c.json(
    {
      issuer: principal.issuer,
      subject: principal.subject,
      clientId: principal.clientId ?? null,
      roles: principal.roles,
      permissions: [...principal.permissions].sort(),
      level: tenancy.level,
      unitCode: tenancy.level === 'platform' ? null : tenancy.unitCode,
      districtCode: tenancy.level === 'district' ? tenancy.districtCode : null,
      stationCode: tenancy.level === 'station' ? tenancy.stationCode : null,
    },
    200,
  );
});
