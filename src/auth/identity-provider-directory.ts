import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { lookUpIdentityProvider, type IdentityProviderRecord } from '../db/queries/identity-providers.js';
import { createTenantRunner, requestBound } from '../db/tenant-runner.js';
import { outboundPolicy, type AppConfig } from '../env.js';
import { guardedFetch, OutboundRefusedError, outboundTimeoutMilliseconds, type OutboundPolicy } from '../net/outbound-url.js';

export interface RegisteredIssuer extends IdentityProviderRecord {
  keys: JWTVerifyGetKey;
}

/** How long an isolate trusts what it read about an issuer; a changed registration applies after this. */
export const issuerCacheMilliseconds = 60_000;

/** An issuer's key set could not be fetched: the token may well be valid, so the caller should retry, not sign in again. */
export class KeySetUnavailableError extends Error {
  override name = 'KeySetUnavailableError';
}

async function fetchKeySet(url: string, options: { headers: Headers; signal: AbortSignal }, policy: OutboundPolicy): Promise<Response> {
  let response: Response;
  try {
    response = await guardedFetch(url, policy, { headers: options.headers, signal: options.signal });
  } catch (error) {
    // jose turns a timeout into JWKSTimeout; anything else is the network, or a URL or answer the guard refused.
    if (error instanceof Error && error.name === 'TimeoutError') throw error;
    if (error instanceof OutboundRefusedError) {
      // The caller sees 503 like any unreachable key set; the operator needs to see why.
      console.error(JSON.stringify({ keySet: new URL(url).origin, error: error.name, message: error.message }));
    }
    throw new KeySetUnavailableError('the key set could not be fetched');
  }
  if (response.status !== 200) throw new KeySetUnavailableError(`the key set answered ${response.status}`);
  return response;
}

/**
 * A remote key set: jose refetches on an unknown kid (at most once per cooldown) and caches the
 * set for 5 minutes. Every fetch goes through guardedFetch: the URL is checked again each time.
 */
export function remoteKeySet(url: URL, policy: OutboundPolicy): JWTVerifyGetKey {
  return createRemoteJWKSet(url, {
    cacheMaxAge: 5 * 60_000,
    cooldownDuration: 30_000,
    timeoutDuration: outboundTimeoutMilliseconds,
    [customFetch]: (href, options) => fetchKeySet(href, options, policy),
  });
}

/** Bounds what made-up issuers can make an isolate remember; the oldest entry goes first. */
const maxRememberedIssuers = 500;
const issuers = new Map<string, { value: RegisteredIssuer | null; readAt: number }>();
const remoteKeySets = new Map<string, JWTVerifyGetKey>();

function keysFor(record: IdentityProviderRecord, policy: OutboundPolicy): JWTVerifyGetKey {
  if (record.jwks) return createLocalJWKSet(record.jwks as JSONWebKeySet);
  let keys = remoteKeySets.get(record.jwksUri!);
  if (!keys) {
    keys = remoteKeySet(new URL(record.jwksUri!), policy);
    if (remoteKeySets.size >= maxRememberedIssuers) remoteKeySets.delete(remoteKeySets.keys().next().value!);
    remoteKeySets.set(record.jwksUri!, keys);
  }
  return keys;
}

/** The unit identity provider registered for an issuer, or null. One round trip per issuer per minute. */
export async function registeredIssuer(config: AppConfig, issuer: string, now = Date.now()): Promise<RegisteredIssuer | null> {
  const cached = issuers.get(issuer);
  if (cached && now - cached.readAt < issuerCacheMilliseconds) return cached.value;
  const [rows] = await createTenantRunner(config, null, new Date(), requestBound(config, 'GET')).batch((db) => [lookUpIdentityProvider(db, issuer)]);
  const record = rows.rows[0];
  const value = record ? { ...record, keys: keysFor(record, outboundPolicy(config)) } : null;
  issuers.delete(issuer);
  if (issuers.size >= maxRememberedIssuers) issuers.delete(issuers.keys().next().value!);
  issuers.set(issuer, { value, readAt: now });
  return value;
}

/** After a registration changes: the next token re-reads the registration and refetches its keys. */
export function forgetIssuer(issuer: string): void {
  const jwksUri = issuers.get(issuer)?.value?.jwksUri;
  if (jwksUri) remoteKeySets.delete(jwksUri);
  issuers.delete(issuer);
}
