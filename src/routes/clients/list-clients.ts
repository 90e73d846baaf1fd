import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listIntegrationClients } from '../../db/queries/integration-clients.js';
import { findUnit } from '../../db/queries/tenancy.js';
import { decodeCursor, pageOf, pageQuerySchema, paginationSchema } from '../../http/cursor.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { integrationClientSchema, toIntegrationClient } from './client-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/clients',
  operationId: 'listClients',
  tags: ['Identity'],
  summary: 'Machine clients registered by the unit',
  description: 'Unit administrators only; another unit is 404. Secrets are never shown again. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: { params: unitPathSchema, query: z.object(pageQuerySchema) },
  responses: {
    200: {
      description: 'A page of clients.',
      content: { 'application/json': { schema: z.object({ data: z.array(integrationClientSchema), pagination: paginationSchema }).openapi('IntegrationClientPage') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

const cursorSchema = z.object({ after: z.string() });

export const listClientsRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const { cursor, limit } = c.req.valid('query');
  const afterCreated = cursor ? decodeCursor(cursor, cursorSchema).after : undefined;
  const [unit, { rows }] = await c.var.db.batch((db) => [findUnit(db, unitCode), listIntegrationClients(db, unitCode, { afterCreated, limit })]);
  if (!unit.rows[0]) throw notFound(`unit ${unitCode}`);
  return c.json(pageOf(rows, limit, (row) => row.clientId, toIntegrationClient), 200);
});
