import { z } from '@hono/zod-openapi';
import type { Principal } from '../auth/principal.js';
import { sha256Hex } from '../crypto/sha256.js';
import { ProblemError } from './problem.js';

export interface Idempotency {
  /** Whose key it is: the caller where and as what its token places it (ownerOf). */
  owner: string;
  key: string;
  /** What the first request asked for; a retry must ask for the same. */
  fingerprint: string;
}

export const idempotencyHeaderSchema = z.object({
  'idempotency-key': z
    .string()
    .max(255)
    .regex(/^[\x21-\x7e]{1,255}$/, 'up to 255 visible ASCII characters')
    .optional()
    .openapi({
      param: { name: 'idempotency-key', in: 'header' },
      description:
        'Makes a retry safe: the first outcome is stored with the change and a retry with the same key and body gets it ' +
        'again; the same key with another body is 422; while the first request is still running, 409. A request that ' +
        'changed nothing (e.g. 404) does not use the key up. Keys are kept for 24 hours, per caller: the same subject at ' +
        'another station, district or unit, or with other roles or scopes, has keys of its own.',
      example: '5b0f3c1e-2d7a-4c1b-9f0e-8a7d6c5b4a39',
    }),
});

/**
 * A key's namespace: the subject together with the tenancy scope and the powers its token gives
 * it. The same person at another station, in another district or unit, or with other roles or
 * scopes is another namespace, so a key there is a new key and never replays an outcome made
 * where that caller cannot see. Roles and permissions are sorted, so a fresh token with the same
 * claims (in any order) keeps its keys.
 */
export function ownerOf(principal: Principal): string {
  const { tenancy } = principal;
  return JSON.stringify([
    principal.issuer,
    principal.subject,
    principal.clientId ?? null,
    tenancy.level,
    tenancy.level === 'platform' ? null : tenancy.unitCode,
    tenancy.level === 'district' ? tenancy.districtCode : null,
    tenancy.level === 'station' ? tenancy.stationCode : null,
    [...new Set(principal.roles)].sort(),
    [...principal.permissions].sort(),
  ]);
}

/** What a retry gets: the first outcome's rows, or 422 when the key was used for another request. */
export function replayedRows(idempotency: Idempotency, stored: { fingerprint: string; result: unknown[] | null } | undefined): unknown[] {
  if (!stored || stored.fingerprint !== idempotency.fingerprint) {
    throw new ProblemError('idempotency_key_reused', 'this key was used for a different request; use a new key');
  }
  return stored.result ?? [];
}

export async function idempotencyOf(
  principal: Principal,
  key: string | undefined,
  request: { method: string; path: string; payload: unknown },
): Promise<Idempotency | undefined> {
  if (!key) return undefined;
  return {
    owner: ownerOf(principal),
    key,
    fingerprint: await sha256Hex(`${request.method} ${request.path} ${JSON.stringify(request.payload ?? null)}`),
  };
}
