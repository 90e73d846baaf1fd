import type { JWK } from 'jose';

/**
 * The asymmetric JWS algorithms a token may be signed with. Never HMAC (HS*): a shared secret
 * cannot be checked against a published public key, and a public key taken as an HMAC secret is
 * the classic forgery. Never `none`.
 */
export const signingAlgorithms = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

const curveAlgorithms: Record<string, SigningAlgorithm[]> = { 'P-256': ['ES256'], 'P-384': ['ES384'], 'P-521': ['ES512'], Ed25519: ['EdDSA'] };

/** The algorithms a public key can verify: any RSA one for an RSA key, the one its curve fixes otherwise. */
export function algorithmsForKey(key: JWK): SigningAlgorithm[] {
  if (key.kty === 'RSA') return signingAlgorithms.filter((algorithm) => algorithm.startsWith('RS') || algorithm.startsWith('PS'));
  if (key.kty === 'EC' || key.kty === 'OKP') return curveAlgorithms[key.crv ?? ''] ?? [];
  return [];
}
