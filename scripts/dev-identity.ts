import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/** The local issuer that `npm start` trusts. Its key lives in the git-ignored data folder. */
export const devIssuer = 'urn:sextortion-sop-api:dev-issuer';
export const devAudience = 'sextortion-sop-api';
export const devDataDir = new URL('../.data/', import.meta.url);
const keyFile = new URL('dev-signing-key.json', devDataDir);

export interface DevClaims {
  sub: string;
  roles: string[];
  unit?: string;
  district?: string;
  station?: string;
  name?: string;
}

async function loadOrCreateKey(): Promise<JWK> {
  if (existsSync(keyFile)) return JSON.parse(readFileSync(keyFile, 'utf8')) as JWK;
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `dev-${Date.now()}`, alg: 'ES256' };
  mkdirSync(dirname(keyFile.pathname), { recursive: true });
  writeFileSync(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  return jwk;
}

const apiKeyFile = new URL('dev-token-signing-keys.json', devDataDir);

/** The keys this API signs machine clients' tokens with in development (TOKEN_SIGNING_KEYS). */
export async function devTokenSigningKeys(): Promise<string> {
  if (existsSync(apiKeyFile)) return readFileSync(apiKeyFile, 'utf8');
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const keys = JSON.stringify({ keys: [{ ...(await exportJWK(privateKey)), kid: `dev-api-${Date.now()}`, alg: 'ES256' }] });
  mkdirSync(dirname(apiKeyFile.pathname), { recursive: true });
  writeFileSync(apiKeyFile, keys, { mode: 0o600 });
  return keys;
}

export async function devPublicJwks(): Promise<string> {
  const { d: _private, ...publicJwk } = await loadOrCreateKey();
  return JSON.stringify({ keys: [{ ...publicJwk, use: 'sig' }] });
}

export async function mintDevToken(claims: DevClaims, lifetimeHours = 12): Promise<string> {
  const jwk = await loadOrCreateKey();
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: jwk.kid! })
    .setIssuer(devIssuer)
    .setAudience(devAudience)
    .setIssuedAt()
    .setExpirationTime(`${lifetimeHours}h`)
    .sign(await importJWK(jwk, 'ES256'));
}

const demoProviderKeyFile = new URL('demo-identity-provider-key.json', devDataDir);

/** The signing key of the demo unit's identity provider (scripts/demo-identity-provider.ts), kept across starts. */
export async function demoProviderSigningKey(make: () => Promise<JWK>): Promise<JWK> {
  if (existsSync(demoProviderKeyFile)) return JSON.parse(readFileSync(demoProviderKeyFile, 'utf8')) as JWK;
  const key = await make();
  mkdirSync(dirname(demoProviderKeyFile.pathname), { recursive: true });
  writeFileSync(demoProviderKeyFile, JSON.stringify(key), { mode: 0o600 });
  return key;
}
