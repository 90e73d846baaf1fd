import { z } from '@hono/zod-openapi';
import type { SopVersionRow } from '../../db/queries/sop-versions.js';
import { timestampSchema, toRfc3339 } from '../../http/schemas.js';

export const sopPathSchema = z.object({ sopId: z.uuid().openapi({ param: { name: 'sopId', in: 'path' } }) });

export const sopVersionSchema = z
  .object({
    id: z.uuid(),
    layer: z.enum(['base', 'unit', 'station']),
    unitCode: z.string().nullable(),
    stationCode: z.string().nullable(),
    number: z.number().int().nullable().openapi({ description: 'Given at publication: 1, 2, … per layer and owner.' }),
    status: z.enum(['draft', 'published']),
    title: z.string(),
    notes: z.string(),
    body: z.record(z.string(), z.unknown()).openapi({ description: 'A base or station layer: `{ steps }`; a unit overlay: `{ steps, retire }`.' }),
    createdBy: z.string(),
    createdAt: timestampSchema,
    publishedAt: timestampSchema.nullable(),
    publishedBy: z.string().nullable(),
    version: z.number().int(),
  })
  .openapi('SopVersion');

export function toSopVersion(row: SopVersionRow): z.infer<typeof sopVersionSchema> {
  return {
    id: row.id,
    layer: row.layer,
    unitCode: row.unitCode,
    stationCode: row.stationCode,
    number: row.number,
    status: row.status,
    title: row.title,
    notes: row.notes,
    body: row.body,
    createdBy: row.createdBy,
    createdAt: toRfc3339(row.createdAt),
    publishedAt: row.publishedAt === null ? null : toRfc3339(row.publishedAt),
    publishedBy: row.publishedBy,
    version: row.version,
  };
}
