import { importJWK, type JWK } from 'jose';
import { guardedFetch, OutboundRefusedError, type OutboundPolicy } from '../net/outbound-url.js';
import { algorithmsForKey } from './signing-algorithms.js';

/** A key of the set that tokens can be verified with, as the status report shows it. */
export interface KeyInUse {
  kid: string | null;
  kty: string;
  crv: string | null;
  alg: string | null;
  /** The pinned algorithms this key verifies. */
  algorithms: string[];
}

/** What a look at a provider's keys found: stored with each change, and made afresh by the status report. */
export interface KeyCheck {
  checkedAt: string;
  source: 'jwks_uri' | 'inline';
  jwksUri: string | null;
  /** usable: at least one key verifies a pinned algorithm; unusable: the set answered but none does; unreachable: no set came back. */
  outcome: 'usable' | 'unusable' | 'unreachable';
  detail: string | null;
  keys: KeyInUse[];
  /** Keys in the set that cannot verify any pinned algorithm (other uses, other algorithms, too short). */
  keysIgnored: number;
}

/** Why one key cannot verify tokens under the pinned algorithms, or the algorithms it verifies. */
export async function usabilityOf(key: JWK, algorithms: readonly string[]): Promise<{ usable: string[] } | { unusable: string }> {
  // A key that names its alg verifies only that one (jose matches it against the token's header).
  const usable = algorithmsForKey(key).filter((algorithm) => algorithms.includes(algorithm) && (key.alg === undefined || key.alg === algorithm));
  if (!usable[0]) return { unusable: `a ${[key.kty, key.crv, key.alg].filter(Boolean).join(' ')} key cannot verify ${algorithms.join(', ')}` };
  if (key.kty === 'RSA' && (key.n ?? '').length * 6 < 2048) return { unusable: 'an RSA key must be at least 2048 bits' };
  if (key.use !== undefined && key.use !== 'sig') return { unusable: 'the key must be for signatures (use: sig)' };
  if ('d' in key) return { unusable: 'a private key: a key set publishes public keys only' };
  try {
    await importJWK(key, usable[0]);
  } catch {
    return { unusable: `not a usable ${usable[0]} public key` };
  }
  return { usable };
}

async function keysIn(jwks: unknown, algorithms: readonly string[]): Promise<Pick<KeyCheck, 'outcome' | 'detail' | 'keys' | 'keysIgnored'>> {
  const keys = (jwks as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return { outcome: 'unusable', detail: 'the answer is not a JSON Web Key Set (no keys array)', keys: [], keysIgnored: 0 };
  const inUse: KeyInUse[] = [];
  for (const key of keys) {
    if (typeof key !== 'object' || key === null) continue;
    const jwk = key as JWK;
    const usability = await usabilityOf(jwk, algorithms);
    if ('usable' in usability) inUse.push({ kid: jwk.kid ?? null, kty: String(jwk.kty), crv: jwk.crv ?? null, alg: jwk.alg ?? null, algorithms: usability.usable });
  }
  const keysIgnored = keys.length - inUse.length;
  if (inUse.length === 0) {
    return { outcome: 'unusable', detail: `none of the ${keys.length} key(s) in the set can verify ${algorithms.join(', ')}`, keys: [], keysIgnored };
  }
  return { outcome: 'usable', detail: null, keys: inUse, keysIgnored };
}

/** Why an outbound fetch brought nothing back, in words for the caller. */
export function unreachableReason(error: unknown): string {
  if (error instanceof OutboundRefusedError) return error.message;
  if (error instanceof Error && error.name === 'TimeoutError') return error.message;
  return 'the host could not be reached';
}

/**
 * Looks at the keys a provider would verify tokens with: fetches a remote set through the SSRF
 * guard, as the token verification will, and finds the keys usable under the pinned algorithms.
 */
export async function checkKeySet(
  keys: { jwksUri: string | null; jwks: unknown },
  algorithms: readonly string[],
  policy: OutboundPolicy,
  now: Date,
): Promise<KeyCheck> {
  const checked = { checkedAt: now.toISOString(), source: keys.jwksUri ? ('jwks_uri' as const) : ('inline' as const), jwksUri: keys.jwksUri };
  if (!keys.jwksUri) return { ...checked, ...(await keysIn(keys.jwks, algorithms)) };
  const unreachable = (detail: string): KeyCheck => ({ ...checked, outcome: 'unreachable', detail, keys: [], keysIgnored: 0 });
  let response: Response;
  try {
    response = await guardedFetch(keys.jwksUri, policy, { headers: { accept: 'application/jwk-set+json, application/json' } });
  } catch (error) {
    return unreachable(`the key set could not be fetched: ${unreachableReason(error)}`);
  }
  if (response.status !== 200) return unreachable(`the key set answered ${response.status}`);
  let jwks: unknown;
  try {
    jwks = await response.json();
  } catch {
    return { ...checked, outcome: 'unusable', detail: 'the answer is not JSON', keys: [], keysIgnored: 0 };
  }
  return { ...checked, ...(await keysIn(jwks, algorithms)) };
}
