import { env, exports } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { expect } from 'vitest';
import { issueTokenRoute } from '../../src/routes/oauth/issue-token.js';
import { createUnitRoute } from '../../src/routes/units/create-unit.js';
import { api } from './api.js';
import { parseResponse } from './contract.js';
import { tokenFor } from './tokens.js';

export type { SigningAlgorithm } from '../../src/auth/signing-algorithms.js';
import type { SigningAlgorithm } from '../../src/auth/signing-algorithms.js';

/** A unit identity provider's signing key: the private half signs officers' tokens, the public half is published. */
export interface ProviderKey {
  alg: SigningAlgorithm;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

const unique = () => crypto.randomUUID().replace(/-/g, '').slice(0, 12);

export async function newProviderKey(alg: SigningAlgorithm, kid = `${alg.toLowerCase()}-${unique()}`): Promise<ProviderKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  // Through JSON, as a provider would publish it: jose leaves absent members as undefined.
  const publicJwk = JSON.parse(JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg, use: 'sig' })) as JWK;
  return { alg, kid, privateKey, publicJwk };
}

/** The private JWK of a key, for tests that check a private key is refused. */
export async function privateJwkOf(key: ProviderKey): Promise<JWK> {
  return { ...(await exportJWK(key.privateKey)), kid: key.kid, alg: key.alg };
}

/** A fresh issuer and a name on the loopback JWKS host for one identity provider. */
export function newProviderIdentity() {
  const name = `idp-${unique()}`;
  return { name, issuer: `https://login.${name}.example/realms/officers`, audience: `sextortion-sop-api-${name}`, jwksUri: `${env.TEST_JWKS_HOST}/jwks/${name}` };
}

/** Publishes (or replaces) the key set the loopback host serves under `name`; returns its URL. */
export async function publishKeys(name: string, keys: ProviderKey[]): Promise<string> {
  const url = `${env.TEST_JWKS_HOST}/jwks/${name}`;
  const response = await fetch(url, { method: 'PUT', body: JSON.stringify({ keys: keys.map((key) => key.publicJwk) }) });
  expect(response.status).toBe(204);
  return url;
}

/** How many times the API has fetched the key set published under `name`. */
export async function keySetFetches(name: string): Promise<number> {
  const response = await fetch(`${env.TEST_JWKS_HOST}/jwks/${name}/fetches`);
  return ((await response.json()) as { fetches: number }).fetches;
}

export interface ProviderTokenOptions {
  issuer: string;
  audience: string;
  /** Overrides the key's own id and algorithm in the header (to forge mismatches). */
  kid?: string;
  alg?: SigningAlgorithm;
  subject?: string;
  /** Seconds since the epoch; default: issued now, expiring in ten minutes. */
  issuedAt?: number;
  expiresAt?: number;
}

/** An officer's token as the unit's identity provider would sign it. */
export async function providerToken(key: ProviderKey, claims: Record<string, unknown>, options: ProviderTokenOptions): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(options.subject ?? `officer-${unique()}`)
    .setIssuedAt(options.issuedAt)
    .setExpirationTime(options.expiresAt ?? '10m')
    .sign(key.privateKey);
}

/** A unit code nobody has used: upper-case letters and digits. */
export function newUnitCode(prefix = 'U'): string {
  return `${prefix}${unique().toUpperCase()}`;
}

/** The platform administrator onboards a unit through POST /v1/units. */
export async function onboardUnit(body: Record<string, unknown>) {
  const response = await api('/v1/units', { method: 'POST', token: await tokenFor.platform(), body });
  return parseResponse(createUnitRoute, 201, response);
}

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** POST /v1/oauth/token, form-encoded as RFC 6749 requires; credentials by HTTP Basic or in the form. */
export function requestToken(form: Record<string, string>, basic?: ClientCredentials, headers: Record<string, string> = {}): Promise<Response> {
  const requestHeaders = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded', ...headers });
  if (basic) {
    requestHeaders.set('Authorization', `Basic ${btoa(`${encodeURIComponent(basic.clientId)}:${encodeURIComponent(basic.clientSecret)}`)}`);
  }
  return exports.default.fetch('http://api.test/v1/oauth/token', { method: 'POST', headers: requestHeaders, body: new URLSearchParams(form).toString() });
}

/** A client's access token by the client-credentials grant, with the response checked against the route's schema. */
export async function clientAccessToken(credentials: ClientCredentials, scope?: string): Promise<string> {
  const response = await requestToken({ grant_type: 'client_credentials', ...(scope === undefined ? {} : { scope }) }, credentials);
  return (await parseResponse(issueTokenRoute, 200, response)).access_token;
}

/** The issuer whose discovery document the loopback host serves under `name` (its keys at /jwks/<name>). */
export function discoverableIssuer(name: string): string {
  return `${env.TEST_JWKS_HOST}/issuer/${name}`;
}

/** Serves this document, instead of the one made from the published keys, as the discovery document of `name`. */
export async function publishDiscoveryDocument(name: string, document: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${env.TEST_JWKS_HOST}/discovery/${name}`, { method: 'PUT', body: JSON.stringify(document) });
  expect(response.status).toBe(204);
}

/** Withdraws the key set published under `name`: the loopback host answers 404 for it. */
export async function withdrawKeys(name: string): Promise<void> {
  const response = await fetch(`${env.TEST_JWKS_HOST}/jwks/${name}`, { method: 'DELETE' });
  expect(response.status).toBe(204);
}
