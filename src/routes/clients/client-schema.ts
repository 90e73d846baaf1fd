import { z } from '@hono/zod-openapi';
import { clientScopes } from '../../auth/permissions.js';
import { clientRoles } from '../../auth/roles.js';
import type { IntegrationClientRow } from '../../db/queries/integration-clients.js';
import { tenancyCode, timestampSchema, toRfc3339 } from '../../http/schemas.js';

export const clientRoleSchema = z.enum(clientRoles);
export const clientScopeSchema = z.enum(clientScopes);

export const integrationClientSchema = z
  .object({
    clientId: z.string().openapi({ example: 'cli_7dk2m9q4x8v3n6p2r5t8' }),
    name: z.string().openapi({ example: 'Pune City e-FIR register' }),
    roles: z.array(z.string()),
    scopes: z.array(z.string()),
    unitCode: tenancyCode('MH'),
    districtCode: z.string().nullable(),
    stationCode: z.string().nullable(),
    disabled: z.boolean(),
    rotationOverlapEndsAt: timestampSchema.nullable().openapi({
      description: 'A rotation\'s overlap: the secret it replaced still works until then. Null when none.',
    }),
    version: z.number().int(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .openapi('IntegrationClient');

export const clientSecretSchema = z.string().openapi({ description: 'Shown once: only its hash is stored.', example: 'sec_…' });

export function toIntegrationClient(row: IntegrationClientRow): z.infer<typeof integrationClientSchema> {
  return {
    clientId: row.clientId,
    name: row.name,
    roles: row.roles,
    scopes: row.scopes,
    unitCode: row.unitCode,
    districtCode: row.districtCode,
    stationCode: row.stationCode,
    disabled: row.disabled,
    rotationOverlapEndsAt: row.rotationOverlapEndsAt && toRfc3339(row.rotationOverlapEndsAt),
    version: row.version,
    createdAt: toRfc3339(row.createdAt),
    updatedAt: toRfc3339(row.updatedAt),
  };
}

export const clientPathSchema = z.object({
  unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }),
  clientId: z.string().max(24).regex(/^cli_[a-z0-9]{20}$/, 'a client id such as cli_…').openapi({ param: { name: 'clientId', in: 'path' } }),
});
