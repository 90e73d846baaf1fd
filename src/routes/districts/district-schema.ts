import { z } from '@hono/zod-openapi';
import type { DistrictRow } from '../../db/queries/tenancy.js';
import { tenancyCode, timestampSchema, toRfc3339 } from '../../http/schemas.js';

export const districtKind = z.enum(['district', 'commissionerate']);

export const districtSchema = z
  .object({
    code: tenancyCode('MH-PUNE'),
    name: z.string().openapi({ example: 'Pune City Police Commissionerate' }),
    kind: districtKind,
    unitCode: tenancyCode('MH'),
    version: z.number().int().openapi({ description: 'Bumped by every change; the ETag is `"v<version>"`.' }),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .openapi('District');

export function toDistrict(row: DistrictRow): z.infer<typeof districtSchema> {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    unitCode: row.unitCode,
    version: row.version,
    createdAt: toRfc3339(row.createdAt),
    updatedAt: toRfc3339(row.updatedAt),
  };
}
