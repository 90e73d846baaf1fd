import { z } from '@hono/zod-openapi';
import { requestNow } from './request-clock.js';
import { tenancyCodePattern } from '../tenancy/codes.js';

export const tenancyCode = (example: string) =>
  z.string().max(64).regex(tenancyCodePattern, 'an upper-case code such as MH-PUNE').openapi({ example });

export const unitPathSchema = z.object({
  unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }),
});

export const timestampSchema = z.iso.datetime({ offset: true }).max(64).openapi({ example: '2026-11-28T10:15:00.000Z' });

/** A time something already happened: a clock a few minutes fast is forgiven, a date next week is a typo. */
export const pastTimestampSchema = timestampSchema.pipe(
  z
    .string()
    .refine((value) => Date.parse(value) <= requestNow().getTime() + 5 * 60_000, 'this lies in the future')
    .refine((value) => Date.parse(value) >= Date.parse('1990-01-01T00:00:00Z'), 'this lies before 1990: check the year'),
);

export const displayName = z.string().trim().min(1).max(200);

/** Postgres timestamps arrive as text from the driver; the API speaks RFC 3339 UTC. */
export function toRfc3339(value: string | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** The refinement of every PATCH body: it must change something. `.refine(...atLeastOneChange)`. */
export const atLeastOneChange = [(changes: object) => Object.keys(changes).length > 0, 'name at least one field to change'] as const;

/**
 * A named (registered) schema or null, written `anyOf: [{$ref}, {type: 'null'}]`. `.nullable()` on a
 * named schema comes out as `allOf: [{$ref}, {type: [object, null]}]`, which null cannot pass.
 */
export const namedOrNull = <Schema extends z.ZodType>(schema: Schema) => z.union([schema, z.null()]);
