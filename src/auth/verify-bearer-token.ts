import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../env.js';

/** Asymmetric algorithms only: an HMAC token can never be checked against a public key. */
export const acceptedAlgorithms = ['ES256', 'RS256', 'EdDSA'];
export const clockSkewSeconds = 60;

const keySets = new Map<string, JWTVerifyGetKey>();

function keySetFor(config: AppConfig): JWTVerifyGetKey {
  const cacheKey = config.AUTH_JWKS ?? config.AUTH_JWKS_URL!;
  let keySet = keySets.get(cacheKey);
  if (!keySet) {
    keySet = config.AUTH_JWKS
      ? createLocalJWKSet(JSON.parse(config.AUTH_JWKS))
      : createRemoteJWKSet(new URL(config.AUTH_JWKS_URL!), { cacheMaxAge: 10 * 60 * 1000, cooldownDuration: 30 * 1000 });
    keySets.set(cacheKey, keySet);
  }
  return keySet;
}

export type TokenCheck = { valid: true; claims: Record<string, unknown> } | { valid: false; reason: string };

/** Checks signature, issuer, audience, expiry (required), not-before and issued-at. */
export async function verifyBearerToken(token: string, config: AppConfig): Promise<TokenCheck> {
  try {
    const { payload, protectedHeader } = await jwtVerify(token, keySetFor(config), {
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      algorithms: acceptedAlgorithms,
      requiredClaims: ['exp', 'iat'],
      clockTolerance: clockSkewSeconds,
      maxTokenAge: '24h',
    });
    if ('jku' in protectedHeader || 'x5u' in protectedHeader || 'jwk' in protectedHeader) {
      return { valid: false, reason: 'the token header points at its own keys' };
    }
    return { valid: true, claims: payload };
  } catch (error) {
    if (error instanceof errors.JWKSTimeout) throw error;
    if (error instanceof errors.JWTExpired) return { valid: false, reason: 'the token has expired' };
    if (error instanceof errors.JWTClaimValidationFailed) return { valid: false, reason: `the token's ${error.claim} claim is not acceptable` };
    if (error instanceof errors.JOSEError) return { valid: false, reason: 'the token is malformed or its signature does not verify' };
    throw error;
  }
}
