import { createRoute, z } from '@hono/zod-openapi';
import { listStationSignInOptions } from '../../db/queries/identity-providers.js';
import { createTenantRunner, requestBound } from '../../db/tenant-runner.js';
import { commonProblems } from '../../http/problem.js';
import { tenancyCode } from '../../http/schemas.js';
import { createRouter } from '../router.js';

const signInOptionSchema = z
  .object({
    unitCode: tenancyCode('MH'),
    unitName: z.string().openapi({ example: 'Maharashtra Cyber' }),
    issuer: z.string().openapi({ description: 'The provider\'s issuer: its discovery document is at `<issuer>/.well-known/openid-configuration`.', example: 'https://sso.mahapolice.example/realms/officers' }),
    clientId: z.string().openapi({ example: 'sop-station-app' }),
    scope: z.string().openapi({ example: 'openid' }),
    resource: z.string().nullable().openapi({ description: 'The RFC 8707 resource indicator to send with the authorization and token requests; null: none.' }),
  })
  .openapi('SignInOption');

const route = createRoute({
  method: 'get',
  path: '/sign-in',
  operationId: 'listSignInOptions',
  security: [],
  tags: ['Identity'],
  summary: 'Where the station app signs an officer in: each unit\'s identity providers offered for it',
  description:
    'Every registered identity provider with `stationSignIn` set, ordered by unit code, then issuer: the station app (at /app) lets the ' +
    'officer choose their unit and signs them in there with the authorization code flow and PKCE (S256), as a public client, and sends the ' +
    'access token it gets to this API. Needs no token and counts against no quota. One database round trip.',
  responses: {
    200: { description: 'The sign-in options.', content: { 'application/json': { schema: z.object({ data: z.array(signInOptionSchema) }) } } },
    500: commonProblems[500],
    503: commonProblems[503],
  },
});

export const listSignInOptionsRoute = createRouter().openapi(route, async (c) => {
  // No caller yet, so no tenant context: the definer function reads what every unit chose to offer.
  const runner = createTenantRunner(c.var.config, null, c.var.now, requestBound(c.var.config, 'GET'));
  const [{ rows }] = await runner.batch((db) => [listStationSignInOptions(db)]);
  c.header('Cache-Control', 'public, max-age=300');
  return c.json({ data: rows }, 200);
});
