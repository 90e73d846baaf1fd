import { z } from '@hono/zod-openapi';
import { tenancyCodePattern } from '../tenancy/codes.js';

export const tenancyCode = (example: string) =>
  z.string().max(64).regex(tenancyCodePattern, 'an upper-case code such as MH-PUNE').openapi({ example });

export const unitPathSchema = z.object({
  unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }),
});

export const timestampSchema = z.iso.datetime({ offset: true }).openapi({ example: '2026-11-28T10:15:00.000Z' });

export const displayName = z.string().trim().min(1).max(200);

/** Postgres timestamps arrive as text from the driver; the API speaks RFC 3339 UTC. */
export function toRfc3339(value: string | Date): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}
