import { z } from '@hono/zod-openapi';
import type { UnitRow } from '../../db/queries/tenancy.js';
import { tenancyCode, timestampSchema, toRfc3339 } from '../../http/schemas.js';

export const unitSchema = z
  .object({
    code: tenancyCode('MH'),
    name: z.string().openapi({ example: 'Maharashtra Cyber' }),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .openapi('Unit');

export function toUnit(row: UnitRow): z.infer<typeof unitSchema> {
  return { code: row.code, name: row.name, createdAt: toRfc3339(row.createdAt), updatedAt: toRfc3339(row.updatedAt) };
}
