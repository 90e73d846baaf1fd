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

/** A token as this API issues to a machine client (POST /v1/oauth/token), signed with the API's own key. */
export async function clientToken(unit: string, scopes: string[], placement: { district?: string; station?: string } = {}, roles = ['integration_client']): Promise<string> {
  const jwk = (JSON.parse(env.TOKEN_SIGNING_KEYS) as { keys: JWK[] }).keys[0]!;
  return new SignJWT({ client_id: 'cli_testclient0000000000', roles, scope: scopes.join(' '), unit, ...placement })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid! })
    .setIssuer(env.TOKEN_ISSUER)
    .setAudience(env.AUTH_AUDIENCE)
    .setSubject('cli_testclient0000000000')
    .setIssuedAt(now())
    .setExpirationTime(now() + 600)
    .sign(await importJWK(jwk, 'ES256'));
}

export const tokenFor = {
  station: (unit: string, station: string, role: Role = 'investigating_officer') => signToken({ roles: [role], unit, station }),
  district: (unit: string, district: string) => signToken({ roles: ['district_supervisor'], unit, district }),
  unit: (unit: string) => signToken({ roles: ['unit_admin'], unit }),
  supervisor: (unit: string) => signToken({ roles: ['unit_supervisor'], unit }),
  platform: () => signToken({ roles: ['platform_admin'] }),
  auditor: (unit: string) => signToken({ roles: ['auditor'], unit }),
  client: (unit: string, scopes: string[]) => clientToken(unit, scopes),
};
