import { env } from 'cloudflare:workers';
import { base64url, SignJWT, type JWK } from 'jose';
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
  /** The public key set a forger could see. */
  publicJwk: JWK;
  issuer: string;
  audience: string;
}

async function platformIssuer(tenant: TestTenant): Promise<Issuer> {
  return {
    validToken: () => signToken({ roles: ['unit_admin'], unit: tenant.unitCode }),
    publicJwk: JSON.parse(env.AUTH_JWKS).keys[0],
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
  };
}

async function clientIssuer(tenant: TestTenant): Promise<Issuer> {
  const { d: _private, ...publicJwk } = (JSON.parse(env.TOKEN_SIGNING_KEYS) as { keys: JWK[] }).keys[0]!;
  return { validToken: () => clientToken(tenant.unitCode, ['tenancy:read']), publicJwk, issuer: env.TOKEN_ISSUER, audience: env.AUTH_AUDIENCE };
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

async function expectRefused(token: string) {
  const response = await api('/v1/stations', { token });
  expect(response.headers.get('www-authenticate')).toContain('Bearer');
  await expectProblem(response, 401, 'unauthorized');
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
});
