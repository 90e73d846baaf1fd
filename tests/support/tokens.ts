import { env } from 'cloudflare:workers';
import { importJWK, SignJWT, type JWK } from 'jose';
import type { Role } from '../../src/auth/roles.js';

export interface TokenClaims {
  sub?: string;
  roles: Role[] | string[];
  unit?: string;
  district?: string;
  station?: string;
  [claim: string]: unknown;
}

export interface TokenOptions {
  issuer?: string;
  audience?: string;
  expiresAt?: number | null;
  notBefore?: number;
  issuedAt?: number;
  kid?: string;
}

const now = () => Math.floor(Date.now() / 1000);

/** A token signed with the test issuer's key, valid unless the options say otherwise. */
export async function signToken(claims: TokenClaims, options: TokenOptions = {}): Promise<string> {
  const jwk = JSON.parse(env.TEST_SIGNING_JWK) as JWK;
  const key = await importJWK(jwk, 'ES256');
  const jwt = new SignJWT({ sub: 'officer-1', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? jwk.kid! })
    .setIssuer(options.issuer ?? env.AUTH_ISSUER)
    .setAudience(options.audience ?? env.AUTH_AUDIENCE)
    .setIssuedAt(options.issuedAt ?? now());
  if (options.expiresAt !== null) jwt.setExpirationTime(options.expiresAt ?? now() + 600);
  if (options.notBefore !== undefined) jwt.setNotBefore(options.notBefore);
  return jwt.sign(key);
}

export const tokenFor = {
  station: (unit: string, station: string, role: Role = 'investigating_officer') => signToken({ roles: [role], unit, station }),
  district: (unit: string, district: string) => signToken({ roles: ['district_supervisor'], unit, district }),
  unit: (unit: string) => signToken({ roles: ['unit_admin'], unit }),
  platform: () => signToken({ roles: ['platform_admin'] }),
};
