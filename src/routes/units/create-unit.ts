import { createRoute, z } from '@hono/zod-openapi';
import { newClientCredentials } from '../../auth/client-credentials.js';
import { forgetIssuer } from '../../auth/identity-provider-directory.js';
import { requirePermission } from '../../auth/require-auth.js';
import { registerIdentityProvider } from '../../db/queries/identity-providers.js';
import { createIntegrationClient } from '../../db/queries/integration-clients.js';
import { createUnit } from '../../db/queries/tenancy.js';
import { authenticatedProblems, conflictProblem, keySetProblem } from '../../http/problem.js';
import { displayName, namedOrNull } from '../../http/schemas.js';
import { clientSecretSchema, integrationClientSchema, toIntegrationClient } from '../clients/client-schema.js';
import { assertRegistrableIssuer, identityProviderInputSchema, identityProviderSchema, keySourceOf, toIdentityProvider } from '../identity-providers/identity-provider-schema.js';
import { resolveProviderKeys, type ProviderKeys } from '../identity-providers/provider-keys.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { newUnitCode, toUnit, unitSchema } from './unit-schema.js';
import { callersWith } from '../../http/security.js';

export const onboardedUnitSchema = z
  .object({
    unit: unitSchema,
    identityProvider: namedOrNull(identityProviderSchema),
    administrator: z.object({ client: integrationClientSchema, clientSecret: clientSecretSchema }).nullable(),
  })
  .openapi('OnboardedUnit');

const route = createRoute({
  method: 'post',
  path: '/units',
  operationId: 'createUnit',
  tags: ['Onboarding'],
  summary: 'Onboard a state cyber unit',
  description:
    'Platform administrators only. With `identityProvider`, the unit\'s officers sign in with their own provider from the ' +
    'start (its tokens need the unit_admin role to administer the unit); its keys are looked at before anything is saved, as on ' +
    'registerIdentityProvider. Without it, the response carries the credentials ' +
    'of a unit-administrator machine client, shown once: exchange them at POST /v1/oauth/token. Audited. One database round trip.',
  security: callersWith('units:create'),
  middleware: requirePermission('units:create'),
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({ code: newUnitCode, name: displayName.openapi({ example: 'Karnataka CID Cyber Crime Division' }), identityProvider: identityProviderInputSchema.optional() })
            .strict(),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'Onboarded.',
      content: {
        'application/json': {
          schema: onboardedUnitSchema,
        },
      },
    },
    ...authenticatedProblems,
    ...conflictProblem,
    ...keySetProblem,
  },
});

export const createUnitRoute = createRouter().openapi(route, async (c) => {
  const { code, name, identityProvider } = c.req.valid('json');
  let keys: ProviderKeys | null = null;
  if (identityProvider) {
    assertRegistrableIssuer(identityProvider.issuer, c.var.config, '/body/identityProvider/issuer');
    keys = await resolveProviderKeys(keySourceOf(identityProvider), c.var.config, c.var.now, '/body/identityProvider');
  }
  const actor = actorOf(c);
  const credentials = identityProvider ? null : await newClientCredentials();
  const [unitResult, bindingResult] = await c.var.db.batch((db) => [
    createUnit(db, actor, { code, name }),
    identityProvider
      ? registerIdentityProvider(db, actor, code, { ...identityProvider, ...keys! })
      : createIntegrationClient(db, actor, code, {
          clientId: credentials!.clientId,
          secretHash: credentials!.secretHash,
          name: `${code} unit administrator`,
          roles: ['unit_admin'],
          scopes: [],
          districtCode: null,
          stationCode: null,
        }),
  ]);
  const binding = bindingResult.rows[0]!;
  if (identityProvider) forgetIssuer(identityProvider.issuer);
  return c.json(
    {
      unit: toUnit(unitResult.rows[0]!),
      identityProvider: identityProvider ? toIdentityProvider(binding as Parameters<typeof toIdentityProvider>[0]) : null,
      administrator: credentials ? { client: toIntegrationClient(binding as Parameters<typeof toIntegrationClient>[0]), clientSecret: credentials.clientSecret } : null,
    },
    201,
  );
});
