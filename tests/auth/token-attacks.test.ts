import { env } from 'cloudflare:workers';
import { base64url, importJWK, SignJWT, type CryptoKey, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, expectProblem } from '../support/api.js';
import { newProviderIdentity, newProviderKey, providerToken } from '../support/identity.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { clientToken, signToken, tokenFor } from '../support/tokens.js';

/**
 * The token attack list against each of the three ways a token is verified: the platform's
 * issuer, this API's own tokens for machine clients, and a unit's registered identity provider.
 */

interface Issuer {
  /** A valid token for an officer or client who may list the tenant's stations. */
  validToken(): Promise<string>;
  /** The valid token's claims with `extra` added (or replaced), signed with the issuer's own key under the given header typ. */
  signWith(extra: Record<string, unknown>, typ?: string): Promise<string>;
  /** The public key set a forger could see. */
  publicJwk: JWK;
  issuer: string;
  audience: string;
}

/** A token as `issuer` would sign it with `key`, carrying what the test wants to see refused or accepted. */
async function signedBy(key: { privateKey: CryptoKey | Uint8Array; kid?: string }, issuer: string, audience: string, claims: Record<string, unknown>, typ?: string) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, ...(typ === undefined ? {} : { typ }) })
    .setIssuer(issuer)
    .setAudience(audience)
    .setSubject('officer-1')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

async function platformIssuer(tenant: TestTenant): Promise<Issuer> {
  const privateJwk = JSON.parse(env.TEST_SIGNING_JWK) as JWK;
  const key = { privateKey: await importJWK(privateJwk, 'ES256'), kid: privateJwk.kid };
  return {
    validToken: () => signToken({ roles: ['unit_admin'], unit: tenant.unitCode }),
    signWith: (extra, typ) => signedBy(key, env.AUTH_ISSUER, env.AUTH_AUDIENCE, { roles: ['unit_admin'], unit: tenant.unitCode, ...extra }, typ),
    publicJwk: JSON.parse(env.AUTH_JWKS).keys[0],
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
  };
}

async function clientIssuer(tenant: TestTenant): Promise<Issuer> {
  const privateJwk = (JSON.parse(env.TOKEN_SIGNING_KEYS) as { keys: JWK[] }).keys[0]!;
  const { d: _private, ...publicJwk } = privateJwk;
  const key = { privateKey: await importJWK(privateJwk, 'ES256'), kid: privateJwk.kid };
  const claims = { client_id: 'cli_testclient0000000000', roles: ['integration_client'], scope: 'tenancy:read', unit: tenant.unitCode };
  return {
    validToken: () => clientToken(tenant.unitCode, ['tenancy:read']),
    signWith: (extra, typ) => signedBy(key, env.TOKEN_ISSUER, env.AUTH_AUDIENCE, { ...claims, ...extra }, typ),
    publicJwk,
    issuer: env.TOKEN_ISSUER,
    audience: env.AUTH_AUDIENCE,
  };
}

async function unitProviderIssuer(tenant: TestTenant): Promise<Issuer> {
  const identity = newProviderIdentity();
  const key = await newProviderKey('ES256');
  const registered = await api(`/v1/units/${tenant.unitCode}/identity-providers`, {
    method: 'POST',
    token: await tokenFor.unit(tenant.unitCode),
    body: { issuer: identity.issuer, audience: identity.audience, jwks: { keys: [key.publicJwk] }, algorithms: ['ES256'] },
  });
  expect(registered.status).toBe(201);
  return {
    validToken: () => providerToken(key, { roles: ['unit_admin'] }, { issuer: identity.issuer, audience: identity.audience }),
    signWith: (extra, typ) => signedBy(key, identity.issuer, identity.audience, { roles: ['unit_admin'], ...extra }, typ),
    publicJwk: key.publicJwk,
    issuer: identity.issuer,
    audience: identity.audience,
  };
}

const issuers = [
  ['the platform issuer', platformIssuer],
  ["this API's client tokens", clientIssuer],
  ["a unit's identity provider", unitProviderIssuer],
] as const;

async function expectRefused(token: string, detail?: string) {
  const response = await api('/v1/stations', { token });
  expect(response.headers.get('www-authenticate')).toContain('Bearer');
  const problem = await expectProblem(response, 401, 'unauthorized');
  if (detail) expect(problem.detail).toContain(detail);
}

const segment = (value: unknown) => base64url.encode(JSON.stringify(value));
const decoded = (part: string) => JSON.parse(new TextDecoder().decode(base64url.decode(part))) as Record<string, unknown>;

describe.each(issuers)('token attacks against %s', (_name, makeIssuer) => {
  it('accepts the genuine token, so the refusals below are about the attack', async () => {
    const issuer = await makeIssuer(await createTestTenant());
    expect((await api('/v1/stations', { token: await issuer.validToken() })).status).toBe(200);
  });

  it('refuses alg none, a stripped signature, and an edited payload', async () => {
    const tenant = await createTestTenant();
    const issuer = await makeIssuer(tenant);
    const [header, payload, signature] = (await issuer.validToken()).split('.') as [string, string, string];
    await expectRefused(`${segment({ ...decoded(header), alg: 'none' })}.${payload}.`);
    await expectRefused(`${header}.${payload}.`);
    await expectRefused(`${header}.${segment({ ...decoded(payload), roles: ['platform_admin'], unit: 'MH' })}.${signature}`);
  });

  it('refuses an HMAC token keyed with the public key, and a token pointing at keys of its own', async () => {
    const tenant = await createTestTenant();
    const issuer = await makeIssuer(tenant);
    const claims = { roles: ['unit_admin'], unit: tenant.unitCode };
    const hmac = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: issuer.publicJwk.kid })
      .setIssuer(issuer.issuer)
      .setAudience(issuer.audience)
      .setSubject('attacker')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(JSON.stringify(issuer.publicJwk)));
    await expectRefused(hmac);

    const attacker = await newProviderKey('ES256', issuer.publicJwk.kid);
    for (const pointer of [{ jku: 'http://127.0.0.1:9/keys.json' }, { jwk: attacker.publicJwk }, { x5u: 'http://127.0.0.1:9/cert.pem' }]) {
      const forged = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'ES256', kid: issuer.publicJwk.kid, ...pointer })
        .setIssuer(issuer.issuer)
        .setAudience(issuer.audience)
        .setSubject('attacker')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(attacker.privateKey);
      await expectRefused(forged);
    }
  });

  it("refuses a token signed by another key under the issuer's key id", async () => {
    const tenant = await createTestTenant();
    const issuer = await makeIssuer(tenant);
    const attacker = await newProviderKey('ES256', issuer.publicJwk.kid);
    await expectRefused(await providerToken(attacker, { roles: ['unit_admin'], unit: tenant.unitCode }, { issuer: issuer.issuer, audience: issuer.audience }));
  });

  it('accepts an access token typed at+jwt (RFC 9068) or marked token_use: access', async () => {
    const issuer = await makeIssuer(await createTestTenant());
    for (const token of [await issuer.signWith({}, 'at+jwt'), await issuer.signWith({}, 'application/at+jwt'), await issuer.signWith({ token_use: 'access' }, 'JWT')]) {
      expect((await api('/v1/stations', { token })).status).toBe(200);
    }
  });

  it('refuses an ID token, however it gives itself away, and any other token that is not an access token', async () => {
    const issuer = await makeIssuer(await createTestTenant());
    for (const idTokenMark of [{ nonce: 'n-0S6_WzA2Mj' }, { at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q' }, { c_hash: 'LDktKdoQak3Pk0cnXxCltA' }, { token_use: 'id' }, { typ: 'ID' }]) {
      await expectRefused(await issuer.signWith(idTokenMark), 'this is an ID token');
    }
    await expectRefused(await issuer.signWith({ token_use: 'refresh' }), 'token_use');
    await expectRefused(await issuer.signWith({}, 'logout+jwt'), 'typ');
    await expectRefused(await issuer.signWith({}, 'secevent+jwt'), 'typ');
  });
});
