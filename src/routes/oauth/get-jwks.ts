import { createRoute, z } from '@hono/zod-openapi';
import { publicSigningKeys } from '../../auth/token-issuer.js';
import { commonProblems } from '../../http/problem.js';
import { createRouter } from '../router.js';

const route = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  operationId: 'getJwks',
  security: [],
  tags: ['Identity'],
  summary: 'The public keys that verify this API\'s access tokens',
  description: 'Every key still in rotation is listed, so tokens signed by a retiring key verify until they expire. No database access.',
  responses: {
    200: {
      description: 'A JSON Web Key Set.',
      content: { 'application/json': { schema: z.object({ keys: z.array(z.looseObject({ kty: z.string(), kid: z.string().optional() })) }).openapi('PublicKeySet') } },
    },
    500: commonProblems[500],
  },
});

export const getJwksRoute = createRouter().openapi(route, async (c) => {
  c.header('Cache-Control', 'public, max-age=300');
  const { keys } = await publicSigningKeys(c.var.config);
  return c.json({ keys: keys.map((key) => ({ ...key, kty: key.kty ?? 'EC' })) }, 200);
});
