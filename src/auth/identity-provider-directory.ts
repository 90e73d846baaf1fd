import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { lookUpIdentityProvider, type IdentityProviderRecord } from '../db/queries/identity-providers.js';
import { createTenantRunner } from '../db/tenant-runner.js';
import type { AppConfig } from '../env.js';

export interface RegisteredIssuer extends IdentityProviderRecord {
  keys: JWTVerifyGetKey;
}

/** How long an isolate trusts what it read about an issuer; a changed registration applies after this. */
export const issuerCacheMilliseconds = 60_000;

const issuers = new Map<string, { value: RegisteredIssuer | null; readAt: number }>();
const remoteKeySets = new Map<string, JWTVerifyGetKey>();

function keysFor(record: IdentityProviderRecord): JWTVerifyGetKey {
  if (record.jwks) return createLocalJWKSet(record.jwks as JSONWebKeySet);
  let keys = remoteKeySets.get(record.jwksUri!);
  if (!keys) {
    // jose refetches on an unknown kid (at most every 30 s) and caches the set for 10 minutes.
    keys = createRemoteJWKSet(new URL(record.jwksUri!), { cacheMaxAge: 10 * 60_000, cooldownDuration: 30_000, timeoutDuration: 5_000 });
    remoteKeySets.set(record.jwksUri!, keys);
  }
  return keys;
}

/** The unit identity provider registered for an issuer, or null. One round trip per issuer per minute. */
export async function registeredIssuer(config: AppConfig, issuer: string, now = Date.now()): Promise<RegisteredIssuer | null> {
  const cached = issuers.get(issuer);
  if (cached && now - cached.readAt < issuerCacheMilliseconds) return cached.value;
  const [rows] = await createTenantRunner(config, null).batch((db) => [lookUpIdentityProvider(db, issuer)]);
  const record = rows.rows[0];
  const value = record ? { ...record, keys: keysFor(record) } : null;
  issuers.set(issuer, { value, readAt: now });
  return value;
}

export function forgetIssuer(issuer: string): void {
  issuers.delete(issuer);
}
