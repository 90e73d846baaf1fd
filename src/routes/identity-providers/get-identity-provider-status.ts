import { createRoute, z } from '@hono/zod-openapi';
import { checkKeySet } from '../../auth/key-set-check.js';
import { requirePermission } from '../../auth/require-auth.js';
import { readIdentityProvider } from '../../db/queries/identity-providers.js';
import { outboundPolicy } from '../../env.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { namedOrNull, timestampSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { providerPathSchema } from './identity-provider-schema.js';

const keyInUseSchema = z
  .object({
    kid: z.string().nullable(),
    kty: z.string(),
    crv: z.string().nullable(),
    alg: z.string().nullable(),
    algorithms: z.array(z.string()).openapi({ description: 'The pinned algorithms this key verifies.' }),
  })
  .openapi('KeyInUse');

export const keyCheckSchema = z
  .object({
    checkedAt: timestampSchema,
    source: z.enum(['jwks_uri', 'inline']),
    jwksUri: z.string().nullable(),
    outcome: z.enum(['usable', 'unusable', 'unreachable']).openapi({
      description: 'usable: at least one key verifies a pinned algorithm; unusable: the set answered but no key does; unreachable: no key set came back.',
    }),
    detail: z.string().nullable().openapi({ description: 'What went wrong, when the outcome is not usable.' }),
    keys: z.array(keyInUseSchema).openapi({ description: 'The keys tokens are verified with.' }),
    keysIgnored: z.number().int().openapi({ description: 'Keys in the set that verify none of the pinned algorithms (encryption keys, other algorithms).' }),
  })
  .openapi('KeyCheck');

const statusSchema = z
  .object({
    id: z.uuid(),
    issuer: z.string(),
    issuerDiscovery: z.boolean(),
    algorithms: z.array(z.string()),
    lastFetch: keyCheckSchema.openapi({ description: 'The key set as it is now: fetched for this report, through the same guard and limits as token verification.' }),
    atLastChange: namedOrNull(keyCheckSchema).openapi({ description: 'What the look at the keys found when they were registered or last changed (null for a registration older than these checks).' }),
  })
  .openapi('IdentityProviderStatus');

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/identity-providers/{providerId}/status',
  operationId: 'getIdentityProviderStatus',
  tags: ['Identity'],
  summary: 'Whether the provider\'s keys can be fetched and used now, and which keys are in use',
  description:
    'Fetches the key set now (an inline set is only looked at) and reports the outcome and the keys tokens are verified with, beside ' +
    'what was found when the keys last changed. Unit administrators only; another unit\'s provider is 404. One database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('identity:manage'),
  request: { params: providerPathSchema },
  responses: {
    200: { description: 'The provider\'s keys now and at the last change.', content: { 'application/json': { schema: statusSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getIdentityProviderStatusRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, providerId } = c.req.valid('param');
  const [{ rows }] = await c.var.db.batch((db) => [readIdentityProvider(db, unitCode, providerId)]);
  const provider = rows[0];
  if (!provider) throw notFound(`identity provider ${providerId}`);
  const lastFetch = await checkKeySet(provider, provider.algorithms, outboundPolicy(c.var.config), c.var.now);
  return c.json(
    { id: provider.id, issuer: provider.issuer, issuerDiscovery: provider.issuerDiscovery, algorithms: provider.algorithms, lastFetch, atLastChange: provider.keyCheck },
    200,
  );
});
