import { z } from '@hono/zod-openapi';
import type { Principal } from '../auth/principal.js';

export interface Idempotency {
  /** Whose key it is: keys are per caller. */
  owner: string;
  key: string;
  /** What the first request asked for; a retry must ask for the same. */
  fingerprint: string;
}

export const idempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, 'up to 255 visible ASCII characters')
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description:
        'Makes a retry safe: the first outcome is stored with the change and a retry with the same key and body gets it ' +
        'again; the same key with another body is 422; while the first request is still running, 409. A request that ' +
        'changed nothing (e.g. 404) does not use the key up. Keys are kept for 24 hours.',
      example: '5b0f3c1e-2d7a-4c1b-9f0e-8a7d6c5b4a39',
    }),
});

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

export async function idempotencyOf(
  principal: Principal,
  key: string | undefined,
  request: { method: string; path: string; payload: unknown },
): Promise<Idempotency | undefined> {
  if (!key) return undefined;
  return {
    owner: JSON.stringify([principal.issuer, principal.subject]),
    key,
    fingerprint: await sha256Hex(`${request.method} ${request.path} ${JSON.stringify(request.payload ?? null)}`),
  };
}
