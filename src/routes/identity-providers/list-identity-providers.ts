import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listIdentityProviders } from '../../db/queries/identity-providers.js';
import { findUnit } from '../../db/queries/tenancy.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { identityProviderSchema, toIdentityProvider } from './identity-provider-schema.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/identity-providers',
  operationId: 'listIdentityProviders',
  tags: ['Identity'],
  summary: 'Identity providers whose officers\' tokens the unit accepts',
  description: 'Unit administrators only; another unit is 404. One database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('identity:manage'),
  request: { params: unitPathSchema },
  responses: {
    200: { description: 'The unit\'s identity providers.', content: { 'application/json': { schema: z.object({ data: z.array(identityProviderSchema) }) } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listIdentityProvidersRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const [unit, { rows }] = await c.var.db.batch((db) => [findUnit(db, unitCode), listIdentityProviders(db, unitCode)]);
  if (!unit.rows[0]) throw notFound(`unit ${unitCode}`);
  return c.json({ data: rows.map(toIdentityProvider) }, 200);
});
