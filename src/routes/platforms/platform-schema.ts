import { z } from '@hono/zod-openapi';
import type { PlatformEntryRow } from '../../db/queries/platform-directory.js';
import { timestampSchema, toRfc3339, unitPathSchema } from '../../http/schemas.js';

export const PLATFORM_CATEGORIES = ['social', 'messaging', 'dating', 'gaming', 'payment', 'bank', 'telecom', 'portal', 'other'] as const;

export const platformKeySchema = z
  .string()
  .max(64)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'a lower-case key such as instagram or local-bank')
  .openapi({ example: 'instagram' });

export const platformPathSchema = unitPathSchema.extend({ key: platformKeySchema.openapi({ param: { name: 'key', in: 'path' } }) });

const channelSchema = z
  .object({
    kind: z.enum(['portal', 'email', 'phone', 'post', 'other']),
    address: z.string().trim().min(1).max(500),
    notes: z.string().trim().max(1000).optional(),
  })
  .strict()
  .openapi('PlatformChannel');

export const platformInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Instagram (Meta)' }),
    category: z.enum(PLATFORM_CATEGORIES),
    channels: z.array(channelSchema).max(20).default([]),
    requiredFields: z.array(z.string().trim().min(1).max(200)).max(50).default([]).openapi({ description: 'What the platform needs in a request.' }),
    turnaroundHours: z.number().int().min(1).max(8760).nullable().default(null).openapi({ description: 'How soon it usually answers, in hours.' }),
    preservationDays: z.number().int().min(1).max(3650).nullable().default(null).openapi({
      description: 'How long it keeps data on a preservation request; a preservation request sent to it lapses after this many days.',
    }),
    notes: z.string().trim().max(4000).default(''),
  })
  .strict()
  .openapi('PlatformInput');

export const platformSchema = z
  .object({
    key: z.string(),
    name: z.string(),
    category: z.enum(PLATFORM_CATEGORIES),
    channels: z.array(channelSchema),
    requiredFields: z.array(z.string()),
    turnaroundHours: z.number().int().nullable(),
    preservationDays: z.number().int().nullable(),
    notes: z.string(),
    source: z.enum(['shipped', 'unit']).openapi({ description: '`unit`: the unit\'s own entry (which If-Match names); `shipped`: the directory as shipped.' }),
    overridesShipped: z.boolean().openapi({ description: 'The unit\'s own entry replaces a shipped one with the same key (deleting it brings that back).' }),
    version: z.number().int(),
    updatedAt: timestampSchema,
  })
  .openapi('Platform');

export function toPlatform(row: PlatformEntryRow): z.infer<typeof platformSchema> {
  return {
    key: row.key,
    name: row.name,
    category: row.category as (typeof PLATFORM_CATEGORIES)[number],
    channels: row.channels,
    requiredFields: row.requiredFields,
    turnaroundHours: row.turnaroundHours,
    preservationDays: row.preservationDays,
    notes: row.notes,
    source: row.source,
    overridesShipped: row.overridesShipped,
    version: row.version,
    updatedAt: toRfc3339(row.updatedAt),
  };
}
