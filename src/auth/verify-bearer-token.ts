import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { whyNotAnAccessToken } from './access-token-shape.js';
import { outboundPolicy, type AppConfig } from '../env.js';
import { ProblemError } from '../http/problem.js';
import { KeySetUnavailableError, registeredIssuer, remoteKeySet } from './identity-provider-directory.js';
import { principalFromClaims, type Principal } from './principal.js';
import { providerClaims } from './role-map.js';
import { clientRoles, unitGrantableRoles } from './roles.js';
import { signingAlgorithms } from './signing-algorithms.js';
import { ownTokenVerifier } from './token-issuer.js';
import { cachedPrincipal, rememberPrincipal, tokenDigest } from './verified-token-cache.js';

export const clockSkewSeconds = 60;
/** However long a provider lets a token live, this API refuses one issued longer ago than this. */
export const maxTokenAgeHours = 24;

const platformKeySets = new Map<string, JWTVerifyGetKey>();

function platformKeys(config: AppConfig): JWTVerifyGetKey {
  const cacheKey = config.AUTH_JWKS ?? config.AUTH_JWKS_URL!;
  let keySet = platformKeySets.get(cacheKey);
  if (!keySet) {
    keySet = config.AUTH_JWKS
      ? createLocalJWKSet(JSON.parse(config.AUTH_JWKS))
      : remoteKeySet(new URL(config.AUTH_JWKS_URL!), outboundPolicy(config));
    platformKeySets.set(cacheKey, keySet);
  }
  return keySet;
}

export type Authentication = { principal: Principal } | { error: string };

interface VerificationOptions {
  issuer: string;
  audience: string;
  /** Where the audience is: `aud` (RFC 9068), or `client_id` for providers whose access tokens carry no `aud` (Cognito). */
  audienceClaim?: 'aud' | 'client_id';
  algorithms: string[];
  acceptIdTokens?: boolean;
}

/** Thrown for a token that verifies but is not an access token (an ID token, a refresh token). */
class NotAnAccessTokenError extends Error {
  override name = 'NotAnAccessTokenError';
}

async function verifyOrThrow(token: string, keys: JWTVerifyGetKey, { acceptIdTokens = false, audienceClaim = 'aud', audience, ...options }: VerificationOptions): Promise<JWTPayload> {
  const { payload, protectedHeader } = await jwtVerify(token, keys, {
    ...options,
    ...(audienceClaim === 'aud' ? { audience } : {}),
    requiredClaims: ['exp', 'iat', 'sub'],
    clockTolerance: clockSkewSeconds,
    maxTokenAge: `${maxTokenAgeHours}h`,
  });
  const notAnAccessToken = whyNotAnAccessToken(protectedHeader, payload, { acceptIdTokens });
  if (notAnAccessToken) throw new NotAnAccessTokenError(notAnAccessToken);
  // After the shape: Cognito's ID token names the app client in aud, not client_id, and its refusal should say it is an ID token.
  if (audienceClaim === 'client_id' && payload.client_id !== audience) {
    throw new errors.JWTClaimValidationFailed('unexpected "client_id" claim value', payload, 'client_id', payload.client_id === undefined ? 'missing' : 'check_failed');
  }
  return payload;
}

/** jose refuses an unusable key (e.g. RSA under 2048 bits) with a TypeError before the signature: that is a bad token, not a bug. */
async function verify(token: string, keys: JWTVerifyGetKey, options: VerificationOptions): Promise<JWTPayload> {
  try {
    return await verifyOrThrow(token, keys, options);
  } catch (error) {
    if (error instanceof TypeError) throw new errors.JWSInvalid('the key cannot verify this token');
    throw error;
  }
}

/**
 * Verifies a bearer token against the keys of whoever issued it: the platform's own identity
 * provider (configured), this API's client-credentials issuer, or a unit's registered
 * identity provider, which can only ever speak for its own unit.
 */
export async function authenticate(token: string, config: AppConfig): Promise<Authentication> {
  const digest = await tokenDigest(token);
  const cached = cachedPrincipal(digest);
  if (cached) return { principal: cached };
  const verified = await verifyAndMap(token, config);
  if ('principal' in verified.authentication) {
    rememberPrincipal(digest, verified.authentication.principal.issuer, verified.authentication.principal, Math.min(verified.expiresAt, verified.freshUntil));
  }
  return verified.authentication;
}

/** The authentication, and until when it holds: the token's exp, and how long what verified it stays fresh. */
interface Verification {
  authentication: Authentication;
  expiresAt: number;
  freshUntil: number;
}

const refusal = (error: string): Verification => ({ authentication: { error }, expiresAt: 0, freshUntil: 0 });

async function verifyAndMap(token: string, config: AppConfig): Promise<Verification> {
  const verification = (authentication: Authentication, claims: JWTPayload, freshUntil = Infinity): Verification => ({
    authentication,
    expiresAt: (claims.exp ?? 0) * 1000,
    freshUntil,
  });
  let issuer: string | undefined;
  try {
    const header = decodeProtectedHeader(token);
    if ('jku' in header || 'x5u' in header || 'jwk' in header || 'x5c' in header) return refusal('the token header points at keys of its own');
    issuer = decodeJwt(token).iss;
  } catch {
    return refusal('the token is malformed');
  }
  if (!issuer || !/^[\x21-\x7e]{1,500}$/.test(issuer)) return refusal('the token names no usable issuer');

  try {
    if (issuer === config.AUTH_ISSUER) {
      const claims = await verify(token, platformKeys(config), { issuer, audience: config.AUTH_AUDIENCE, algorithms: [...signingAlgorithms] });
      return verification(principalFromClaims({ issuer, subject: claims.sub, roles: claims.roles, unit: claims.unit, district: claims.district, station: claims.station }), claims);
    }
    if (issuer === config.TOKEN_ISSUER) {
      const claims = await verify(token, await ownTokenVerifier(config), { issuer, audience: config.AUTH_AUDIENCE, algorithms: ['ES256', 'EdDSA'] });
      return verification(
        principalFromClaims(
          { issuer, subject: claims.sub, clientId: claims.client_id, roles: claims.roles, unit: claims.unit, district: claims.district, station: claims.station, scope: claims.scope },
          clientRoles,
        ),
        claims,
      );
    }
    const provider = await registeredIssuer(config, issuer);
    // The same answer as a bad signature: nothing tells an outsider which issuers are registered.
    if (!provider) return refusal('the token is malformed or its signature does not verify');
    const claims = await verify(token, provider.keys, {
      issuer,
      audience: provider.audience,
      audienceClaim: provider.audienceClaim,
      algorithms: provider.algorithms,
      acceptIdTokens: provider.acceptIdTokens,
    });
    const mapped = providerClaims(claims, provider);
    if (mapped.roles.length === 0 && mapped.unmappedValueCount > 0) {
      return refusal(`none of the ${mapped.unmappedValueCount} value(s) in the token's ${provider.rolesClaim} maps to a role of this API`);
    }
    return verification(
      principalFromClaims({ issuer, subject: claims.sub, roles: mapped.roles, unit: provider.unitCode, district: mapped.district, station: mapped.station }, unitGrantableRoles),
      claims,
      provider.freshUntil,
    );
  } catch (error) {
    if (error instanceof errors.JWKSTimeout || error instanceof KeySetUnavailableError) {
      throw new ProblemError('dependency_unavailable', "the token issuer's keys could not be fetched; retry later", {
        headers: { 'Retry-After': '5' },
      });
    }
    if (error instanceof NotAnAccessTokenError) return refusal(error.message);
    if (error instanceof errors.JWTExpired && error.claim === 'iat') {
      return refusal(`the token was issued too long ago (its iat is more than ${maxTokenAgeHours} h in the past): get a new one`);
    }
    if (error instanceof errors.JWTExpired) return refusal('the token has expired');
    if (error instanceof errors.JWTClaimValidationFailed) return refusal(`the token's ${error.claim} claim is not acceptable`);
    if (error instanceof errors.JOSEError) return refusal('the token is malformed or its signature does not verify');
    throw error;
  }
}
