import { createLocalJWKSet, createRemoteJWKSet, customFetch, errors, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { lookUpIdentityProvider, type IdentityProviderRecord } from '../db/queries/identity-providers.js';
import { createTenantRunner, requestBound } from '../db/tenant-runner.js';
import { outboundPolicy, type AppConfig } from '../env.js';
import { forgetVerifiedTokens } from './verified-token-cache.js';
import { guardedFetch, OutboundRefusedError, outboundTimeoutMilliseconds, type OutboundPolicy } from '../net/outbound-url.js';

export interface RegisteredIssuer extends IdentityProviderRecord {
  keys: JWTVerifyGetKey;
  /** Until when (ms since the epoch) this isolate trusts the registration as read. */
  freshUntil: number;
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

/** How long a fetched key set is used before it is fetched again. */
export const keySetCacheMilliseconds = 5 * 60_000;

/**
 * After a token with an unknown kid made the key set be fetched again, the next one waits this
 * long: a rotated key is picked up within seconds, and a stream of invented kids fetches at
 * most once per cooldown.
 */
export const unknownKidCooldownMilliseconds = 5_000;

/**
 * A remote key set, cached for keySetCacheMilliseconds. An unknown kid fetches it again at once
 * unless that happened within unknownKidCooldownMilliseconds; a regular fetch never holds it
 * back (jose's own cooldown would, for 30 s after any fetch, so it is set to never apply while
 * the set is fresh). Every fetch goes through guardedFetch: the URL is checked again each time.
 */
export function remoteKeySet(url: URL, policy: OutboundPolicy): JWTVerifyGetKey {
  let fetchesStarted = 0;
  let unknownKidFetchedAt = -Infinity;
  let unknownKidFetch: Promise<void> = Promise.resolve();
  const keySet = createRemoteJWKSet(url, {
    cacheMaxAge: keySetCacheMilliseconds,
    cooldownDuration: keySetCacheMilliseconds,
    timeoutDuration: outboundTimeoutMilliseconds,
    [customFetch]: (href, options) => {
      fetchesStarted += 1;
      return fetchKeySet(href, options, policy);
    },
  });
  return async (header, token) => {
    const fetchesBefore = fetchesStarted;
    try {
      return await keySet(header, token);
    } catch (error) {
      // A set fetched for this very token (it had gone stale) is as new as it gets.
      if (!(error instanceof errors.JWKSNoMatchingKey) || fetchesStarted !== fetchesBefore) throw error;
      if (Date.now() - unknownKidFetchedAt >= unknownKidCooldownMilliseconds) {
        unknownKidFetchedAt = Date.now();
        unknownKidFetch = keySet.reload();
      }
      // Within the cooldown: the fetch another token started may be the one that brings this kid.
      await unknownKidFetch;
      return keySet(header, token);
    }
  };
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
  const value = record ? { ...record, keys: keysFor(record, outboundPolicy(config)), freshUntil: now + issuerCacheMilliseconds } : null;
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
  forgetVerifiedTokens(issuer);
}
