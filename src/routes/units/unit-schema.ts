import { z } from '@hono/zod-openapi';
import type { UnitRow } from '../../db/queries/tenancy.js';
import { tenancyCode, timestampSchema, toRfc3339 } from '../../http/schemas.js';

/**
 * A new unit's code is a single segment. Its districts and stations extend it with hyphens, so a
 * hyphenated unit code (T-NORTH) would share a prefix with another unit's districts (T's T-NORTH),
 * and a 409 on a code under that prefix would reveal the other unit's data. The database refuses
 * it too (units_code_single_segment); checking here answers 400 at /body/code instead of a 422.
 */
export const newUnitCode = z
  .string()
  .max(64)
  .regex(/^[A-Z][A-Z0-9]*$/, 'one upper-case word such as KA; its districts and stations extend it with hyphens')
  .openapi({ example: 'KA' });

export const unitSchema = z
  .object({
    code: tenancyCode('MH'),
    name: z.string().openapi({ example: 'Maharashtra Cyber' }),
    version: z.number().int(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .openapi('Unit');

export function toUnit(row: UnitRow): z.infer<typeof unitSchema> {
  return { code: row.code, name: row.name, version: row.version, createdAt: toRfc3339(row.createdAt), updatedAt: toRfc3339(row.updatedAt) };
}
