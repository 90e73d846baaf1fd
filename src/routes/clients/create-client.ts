import { createRoute, z } from '@hono/zod-openapi';
import { newClientCredentials } from '../../auth/client-credentials.js';
import { requirePermission } from '../../auth/require-auth.js';
import { createIntegrationClient } from '../../db/queries/integration-clients.js';
import { authenticatedProblems, conflictProblem, notFound, notFoundProblem } from '../../http/problem.js';
import { displayName, tenancyCode, unitPathSchema } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { clientRoleSchema, clientScopeSchema, clientSecretSchema, integrationClientSchema, toIntegrationClient } from './client-schema.js';
import { callersWith } from '../../http/security.js';

const placementMessage = 'only an integration_client can be placed at a district or station: unit_admin and auditor work across the unit';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/clients',
  operationId: 'createClient',
  tags: ['Identity'],
  summary: 'Register a machine client (a police IT system) for the unit',
  description:
    'The client gets tokens from POST /v1/oauth/token with its id and secret. Its role is integration_client by default ' +
    '(its scopes decide what it may do), or unit_admin / auditor. Naming a district or station narrows what an integration_client ' +
    'sees (unit_admin and auditor always work across the unit, so they cannot be placed). ' +
    'The secret is in this response only. Audited. One database round trip.',
  security: callersWith('clients:manage'),
  middleware: requirePermission('clients:manage'),
  request: {
    params: unitPathSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              name: displayName,
              roles: z.array(clientRoleSchema).min(1).max(clientRoleSchema.options.length).default(['integration_client']),
              scopes: z.array(clientScopeSchema).max(clientScopeSchema.options.length).default([]),
              districtCode: tenancyCode('MH-PUNE').optional(),
              stationCode: tenancyCode('MH-PUNE-SHIVAJINAGAR').optional(),
            })
            .strict()
            .refine((client) => !(client.districtCode && client.stationCode), { message: 'name a district or a station, not both', path: ['stationCode'] })
            // unit_admin and auditor work across the unit whatever the token names, so a placement would only pretend to narrow them.
            .refine((client) => !client.districtCode || client.roles.every((role) => role === 'integration_client'), { message: placementMessage, path: ['districtCode'] })
            .refine((client) => !client.stationCode || client.roles.every((role) => role === 'integration_client'), { message: placementMessage, path: ['stationCode'] })
            .refine((client) => !(client.districtCode || client.stationCode) || !client.scopes.includes('audit:read'), {
              message: 'audit:read is for clients working across the unit: the audit trail is read at unit level',
              path: ['scopes'],
            }),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'Registered; keep the secret now.',
      content: { 'application/json': { schema: z.object({ client: integrationClientSchema, clientSecret: clientSecretSchema }).openapi('NewIntegrationClient') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const createClientRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const input = c.req.valid('json');
  const credentials = await newClientCredentials();
  const actor = actorOf(c);
  const [{ rows }] = await c.var.db.batch((db) => [
    createIntegrationClient(db, actor, unitCode, {
      clientId: credentials.clientId,
      secretHash: credentials.secretHash,
      name: input.name,
      roles: [...new Set(input.roles)],
      scopes: [...new Set(input.scopes)],
      districtCode: input.districtCode ?? null,
      stationCode: input.stationCode ?? null,
    }),
  ]);
  if (!rows[0]) throw notFound(`unit ${unitCode}${input.districtCode || input.stationCode ? ` with ${input.districtCode ?? input.stationCode}` : ''}`);
  return c.json({ client: toIntegrationClient(rows[0]), clientSecret: credentials.clientSecret }, 201);
});
