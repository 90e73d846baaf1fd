import { createLocalJWKSet, importJWK, jwtVerify, SignJWT, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
import type { AppConfig } from '../env.js';

export const accessTokenLifetimeSeconds = 15 * 60;

interface SigningKeys {
  signing: { key: CryptoKey | Uint8Array; kid: string; alg: string };
  publicJwks: JSONWebKeySet;
  verifier: JWTVerifyGetKey;
}

const cache = new Map<string, Promise<SigningKeys>>();

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...rest } = jwk;
  return { ...rest, use: 'sig' };
}

/**
 * TOKEN_SIGNING_KEYS holds private JWKs with `kid` and `alg`. The first signs; every key
 * still listed verifies, so a rotated-out key keeps working until its tokens expire.
 */
function signingKeys(config: AppConfig): Promise<SigningKeys> {
  let keys = cache.get(config.TOKEN_SIGNING_KEYS);
  if (!keys) {
    keys = (async () => {
      const jwks = JSON.parse(config.TOKEN_SIGNING_KEYS) as { keys: JWK[] };
      const first = jwks.keys[0];
      if (!first?.kid || !first.alg) throw new Error('TOKEN_SIGNING_KEYS needs keys with kid and alg');
      const publicJwks = { keys: jwks.keys.map(publicPart) };
      return {
        signing: { key: await importJWK(first, first.alg), kid: first.kid, alg: first.alg },
        publicJwks,
        verifier: createLocalJWKSet(publicJwks),
      };
    })();
    cache.set(config.TOKEN_SIGNING_KEYS, keys);
  }
  return keys;
}

export async function publicSigningKeys(config: AppConfig): Promise<JSONWebKeySet> {
  return (await signingKeys(config)).publicJwks;
}

export async function ownTokenVerifier(config: AppConfig): Promise<JWTVerifyGetKey> {
  return (await signingKeys(config)).verifier;
}

export interface ClientTokenClaims {
  clientId: string;
  roles: string[];
  scopes: string[];
  unit: string;
  district?: string;
  station?: string;
}

/** An access token for a machine client: short-lived, so disabling a client takes effect within minutes. */
export async function issueClientToken(config: AppConfig, claims: ClientTokenClaims, now = new Date()): Promise<string> {
  const { signing } = await signingKeys(config);
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({
    client_id: claims.clientId,
    roles: claims.roles,
    scope: claims.scopes.join(' '),
    unit: claims.unit,
    ...(claims.district ? { district: claims.district } : {}),
    ...(claims.station ? { station: claims.station } : {}),
  })
    .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: 'at+jwt' })
    .setIssuer(config.TOKEN_ISSUER)
    .setAudience(config.AUTH_AUDIENCE)
    .setSubject(claims.clientId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + accessTokenLifetimeSeconds)
    .setJti(crypto.randomUUID())
    .sign(signing.key);
}

/** The JWS type of an audit checkpoint, so one can never pass for an access token (which carries `at+jwt` and an audience). */
export const auditCheckpointType = 'audit-checkpoint+jwt';

export interface AuditCheckpointClaims {
  unit: string;
  sequence: number;
  hash: string;
}

/** A unit's audit chain head, signed with the key that signs this API's tokens: verifiable with its JWKS by anyone who keeps it. */
export async function signAuditCheckpoint(config: AppConfig, claims: AuditCheckpointClaims, signedAt: Date): Promise<{ checkpoint: string; keyId: string }> {
  const { signing } = await signingKeys(config);
  const checkpoint = await new SignJWT({ unit: claims.unit, sequence: claims.sequence, hash: claims.hash })
    .setProtectedHeader({ alg: signing.alg, kid: signing.kid, typ: auditCheckpointType })
    .setIssuer(config.TOKEN_ISSUER)
    .setSubject(`urn:sextortion-sop-api:unit:${claims.unit}:audit`)
    .setIssuedAt(Math.floor(signedAt.getTime() / 1000))
    .sign(signing.key);
  return { checkpoint, keyId: signing.kid };
}

/** The claims of a checkpoint this API signed (with a key it still lists), or null for anything else. */
export async function verifiedAuditCheckpoint(config: AppConfig, checkpoint: string): Promise<AuditCheckpointClaims | null> {
  try {
    const { payload } = await jwtVerify(checkpoint, await ownTokenVerifier(config), { issuer: config.TOKEN_ISSUER, typ: auditCheckpointType });
    const { unit, sequence, hash } = payload as Partial<AuditCheckpointClaims>;
    if (typeof unit !== 'string' || typeof sequence !== 'number' || !Number.isSafeInteger(sequence) || sequence < 1 || typeof hash !== 'string') return null;
    return { unit, sequence, hash };
  } catch {
    return null;
  }
}
