import type { Principal } from './principal.js';

/**
 * Tokens this isolate has verified lately, so that a client sending the same token on every
 * request pays for the signature once a minute rather than every time (about 0.3 ms of CPU per
 * ES256 verification). Only successes are kept, never past the token's exp, never longer than
 * what the verification relied on stays fresh, and dropped at once when an issuer's registration
 * changes on this isolate. Keyed by the token's SHA-256, so the cache holds no bearer token.
 */
export const verifiedTokenMilliseconds = 60_000;
const maxVerifiedTokens = 5_000;

interface Verified {
  principal: Principal;
  issuer: string;
  until: number;
}

const verified = new Map<string, Verified>();

/** What the cache knows a token by: its SHA-256, base64url. */
export async function tokenDigest(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return btoa(String.fromCharCode(...new Uint8Array(digest))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function cachedPrincipal(digest: string, now = Date.now()): Principal | undefined {
  const entry = verified.get(digest);
  if (!entry) return undefined;
  if (now < entry.until) return entry.principal;
  verified.delete(digest);
  return undefined;
}

/** `until`: the earliest of the token's exp and the freshness of what verified it (ms since the epoch). */
export function rememberPrincipal(digest: string, issuer: string, principal: Principal, until: number, now = Date.now()): void {
  const bounded = Math.min(until, now + verifiedTokenMilliseconds);
  if (bounded <= now) return;
  if (verified.size >= maxVerifiedTokens) verified.delete(verified.keys().next().value!);
  verified.set(digest, { principal, issuer, until: bounded });
}

/** A registration changed: tokens of this issuer are verified afresh. */
export function forgetVerifiedTokens(issuer: string): void {
  for (const [digest, entry] of verified) if (entry.issuer === issuer) verified.delete(digest);
}
