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

/** A secret made once and kept in the data folder (mode 600), so every start uses the same one. */
async function keptInDataDir<T>(file: URL, make: () => Promise<T>): Promise<T> {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
  const value = await make();
  mkdirSync(dirname(file.pathname), { recursive: true });
  writeFileSync(file, JSON.stringify(value), { mode: 0o600 });
  return value;
}

async function newEs256Key(kid: string): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'ES256' };
}

const loadOrCreateKey = () => keptInDataDir(keyFile, () => newEs256Key(`dev-${Date.now()}`));

const apiKeyFile = new URL('dev-token-signing-keys.json', devDataDir);

/** The keys this API signs machine clients' tokens with in development (TOKEN_SIGNING_KEYS). */
export async function devTokenSigningKeys(): Promise<string> {
  return JSON.stringify(await keptInDataDir(apiKeyFile, async () => ({ keys: [await newEs256Key(`dev-api-${Date.now()}`)] })));
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
export const demoProviderSigningKey = (make: () => Promise<JWK>): Promise<JWK> => keptInDataDir(demoProviderKeyFile, make);
