import { env } from 'cloudflare:workers';
import { exportJWK, generateKeyPair, SignJWT, base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { api, expectProblem } from '../support/api.js';
import { createTestTenant } from '../support/tenants.js';
import { signToken } from '../support/tokens.js';

const now = () => Math.floor(Date.now() / 1000);

async function expectRejected(token: string) {
  const response = await api('/v1/stations', { token });
  expect(response.headers.get('www-authenticate')).toContain('Bearer');
  return expectProblem(response, 401, 'unauthorized');
}

function encodeSegment(value: unknown): string {
  return base64url.encode(JSON.stringify(value));
}

describe('bearer token verification', () => {
  it('accepts a valid token', async () => {
    const tenant = await createTestTenant();
    const token = await signToken({ roles: ['unit_admin'], unit: tenant.unitCode });
    expect((await api('/v1/stations', { token })).status).toBe(200);
  });

  it('reads the scheme name case-insensitively', async () => {
    const tenant = await createTestTenant();
    const token = await signToken({ roles: ['unit_admin'], unit: tenant.unitCode });
    expect((await api('/v1/stations', { headers: { Authorization: `bearer ${token}` } })).status).toBe(200);
  });

  it('rejects an expired token, and one without exp', async () => {
    const tenant = await createTestTenant();
    const claims = { roles: ['unit_admin'], unit: tenant.unitCode };
    const expired = await expectRejected(await signToken(claims, { expiresAt: now() - 3600, issuedAt: now() - 7200 }));
    expect(expired.detail).toContain('expired');
    await expectRejected(await signToken(claims, { expiresAt: null }));
  });

  it('says a token was issued too long ago, not that it expired, when its iat is over 24 h old but its exp is ahead', async () => {
    const tenant = await createTestTenant();
    const claims = { roles: ['unit_admin'], unit: tenant.unitCode };
    const old = await expectRejected(await signToken(claims, { issuedAt: now() - 25 * 3600, expiresAt: now() + 3600 }));
    expect(old.detail).toContain('issued too long ago');
    expect(old.detail).not.toContain('expired');
    // Within the day (and the clock skew), the same token is fine.
    expect((await api('/v1/stations', { token: await signToken(claims, { issuedAt: now() - 23 * 3600, expiresAt: now() + 3600 }) })).status).toBe(200);
  });

  it('rejects a token not yet valid beyond the allowed clock skew', async () => {
    const tenant = await createTestTenant();
    await expectRejected(await signToken({ roles: ['unit_admin'], unit: tenant.unitCode }, { notBefore: now() + 600 }));
  });

  it('tolerates a small clock skew', async () => {
    const tenant = await createTestTenant();
    const token = await signToken({ roles: ['unit_admin'], unit: tenant.unitCode }, { notBefore: now() + 20 });
    expect((await api('/v1/stations', { token })).status).toBe(200);
  });

  it('rejects another issuer or audience', async () => {
    const claims = { roles: ['platform_admin'] };
    await expectRejected(await signToken(claims, { issuer: 'https://elsewhere.invalid/' }));
    await expectRejected(await signToken(claims, { audience: 'another-api' }));
  });

  it('rejects alg none, a stripped signature and a tampered payload', async () => {
    const token = await signToken({ roles: ['district_supervisor'], unit: 'MH', district: 'MH-PUNE' });
    const [header, payload, signature] = token.split('.');
    const unsigned = `${encodeSegment({ alg: 'none', typ: 'JWT' })}.${payload}.`;
    await expectRejected(unsigned);
    await expectRejected(`${header}.${payload}.`);
    const escalated = encodeSegment({ ...JSON.parse(new TextDecoder().decode(base64url.decode(payload!))), roles: ['platform_admin'] });
    await expectRejected(`${header}.${escalated}.${signature}`);
  });

  it('rejects an HMAC token keyed with the public key (algorithm confusion)', async () => {
    const publicJwk = JSON.parse(env.AUTH_JWKS).keys[0];
    const secret = new TextEncoder().encode(JSON.stringify(publicJwk));
    const token = await new SignJWT({ roles: ['platform_admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: publicJwk.kid })
      .setSubject('attacker')
      .setIssuer(env.AUTH_ISSUER)
      .setAudience(env.AUTH_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(secret);
    await expectRejected(token);
  });

  it('rejects a key the issuer never published, and a header pointing at its own key set', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const foreign = await new SignJWT({ roles: ['platform_admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'attacker-key', jku: 'http://127.0.0.1:9/jwks.json' })
      .setSubject('attacker')
      .setIssuer(env.AUTH_ISSUER)
      .setAudience(env.AUTH_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    await expectRejected(foreign);
    const embedded = await new SignJWT({ roles: ['platform_admin'] })
      .setProtectedHeader({ alg: 'ES256', jwk: await exportJWK(publicKey) })
      .setSubject('attacker')
      .setIssuer(env.AUTH_ISSUER)
      .setAudience(env.AUTH_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    await expectRejected(embedded);
  });

  it('rejects tokens whose roles are unknown', async () => {
    await expectRejected(await signToken({ roles: ['superuser'] }));
    await expectRejected(await signToken({ roles: [] }));
  });
});

describe('roles of different levels in one token', () => {
  it('refuses platform_admin combined with a unit role, and a unit role combined with a station role', async () => {
    const tenant = await createTestTenant();
    await expectRejected(await signToken({ roles: ['platform_admin', 'unit_admin'], unit: tenant.unitCode }));
    await expectRejected(await signToken({ roles: ['auditor', 'investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] }));
    const sameLevel = await signToken({ roles: ['station_house_officer', 'investigating_officer'], unit: tenant.unitCode, station: tenant.stationCodes[0] });
    expect((await api('/v1/stations', { token: sameLevel })).status).toBe(200);
  });
});
