import { env } from 'cloudflare:workers';
import { base64url, SignJWT } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { listIdentityProvidersRoute } from '../../src/routes/identity-providers/list-identity-providers.js';
import { registerIdentityProviderRoute } from '../../src/routes/identity-providers/register-identity-provider.js';
import { updateIdentityProviderRoute } from '../../src/routes/identity-providers/update-identity-provider.js';
import { listStations } from '../../src/routes/stations/list-stations.js';
import { getUnitRoute } from '../../src/routes/units/get-unit.js';
import { unknownKidCooldownMilliseconds } from '../../src/auth/identity-provider-directory.js';
import { signingAlgorithms } from '../../src/auth/signing-algorithms.js';
import { api, expectProblem } from '../support/api.js';
import { parseResponse } from '../support/contract.js';
import {
  keySetFetches,
  newProviderIdentity,
  newProviderKey,
  privateJwkOf,
  providerToken,
  publishKeys,
  withdrawKeys,
  type ProviderKey,
  type ProviderTokenOptions,
  type SigningAlgorithm,
} from '../support/identity.js';
import { auditTrail } from '../support/audit.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

const now = () => Math.floor(Date.now() / 1000);

interface ProviderSetup {
  alg?: SigningAlgorithm;
  /** Further keys published beside the signing key. */
  alsoPublished?: ProviderKey[];
  algorithms?: SigningAlgorithm[];
  /** Register the keys inline rather than at the loopback URL. */
  inline?: boolean;
  claimNames?: { rolesClaim?: string; districtClaim?: string; stationClaim?: string };
  roleMap?: unknown;
  /** Withdraw the key set right after registration (the loopback host answers 404 for it). */
  publish?: false;
}

/** A unit of its own with an identity provider registered by its administrator. */
async function unitWithProvider(setup: ProviderSetup = {}) {
  const tenant = await createTestTenant();
  const provider = newProviderIdentity();
  const key = await newProviderKey(setup.alg ?? 'ES256');
  const published = [key, ...(setup.alsoPublished ?? [])];
  if (!setup.inline) await publishKeys(provider.name, published);
  const adminToken = await tokenFor.unit(tenant.unitCode);
  const registered = await parseResponse(
    registerIdentityProviderRoute,
    201,
    await api(`/v1/units/${tenant.unitCode}/identity-providers`, {
      method: 'POST',
      token: adminToken,
      body: {
        issuer: provider.issuer,
        audience: provider.audience,
        ...(setup.inline ? { jwks: { keys: published.map((published) => published.publicJwk) } } : { jwksUri: provider.jwksUri }),
        algorithms: setup.algorithms ?? [key.alg],
        ...setup.claimNames,
        ...(setup.roleMap === undefined ? {} : { roleMap: setup.roleMap }),
      },
    }),
  );
  if (setup.publish === false) await withdrawKeys(provider.name);
  const sign = (claims: Record<string, unknown>, options: Partial<ProviderTokenOptions> = {}, signingKey = key) =>
    providerToken(signingKey, claims, { issuer: provider.issuer, audience: provider.audience, ...options });
  return { tenant, provider, key, adminToken, registered, sign };
}

async function expectRefused(token: string, detail?: string) {
  const response = await api('/v1/stations', { token });
  expect(response.headers.get('www-authenticate')).toContain('Bearer');
  const problem = await expectProblem(response, 401, 'unauthorized');
  if (detail) expect(problem.detail).toContain(detail);
  return problem;
}

async function stationCodesSeenBy(token: string): Promise<string[]> {
  const page = await parseResponse(listStations, 200, await api('/v1/stations?limit=200', { token }));
  return page.data.map((station) => station.code);
}

afterEach(() => {
  vi.useRealTimers();
});

describe("a unit's own identity provider", () => {
  it('can never grant platform-wide power or a machine identity', async () => {
    const { tenant, sign } = await unitWithProvider();
    expect(await stationCodesSeenBy(await sign({ roles: ['unit_admin'] }))).toEqual([...tenant.stationCodes].sort());

    await expectRefused(await sign({ roles: ['platform_admin'] }), 'platform_admin');
    await expectRefused(await sign({ roles: ['unit_admin', 'platform_admin'] }), 'platform_admin');
    await expectRefused(await sign({ roles: ['integration_client'], scope: 'tenancy:read' }), 'integration_client');
    const onboarding = await api('/v1/units', { method: 'POST', token: await sign({ roles: ['platform_admin'] }), body: { code: 'ROGUE', name: 'Rogue unit' } });
    await expectProblem(onboarding, 401, 'unauthorized');
  });

  it('acts only for the unit that registered it: a unit claim in the token is ignored', async () => {
    const { tenant, sign } = await unitWithProvider();
    const claimsMH = await sign({ roles: ['unit_admin'], unit: 'MH' });

    expect(await stationCodesSeenBy(claimsMH)).toEqual([...tenant.stationCodes].sort());
    expect(await parseResponse(getUnitRoute, 200, await api(`/v1/units/${tenant.unitCode}`, { token: claimsMH }))).toMatchObject({ code: tenant.unitCode });
    await expectProblem(await api('/v1/units/MH', { token: claimsMH }), 404, 'not_found');
    await expectProblem(
      await api('/v1/units/MH/districts', { method: 'POST', token: claimsMH, body: { code: 'MH-PLANTED', name: 'Planted district' } }),
      404,
      'not_found',
    );
    // Naming a station or district of MH does not nest in the provider's unit.
    await expectProblem(await api('/v1/stations', { token: await sign({ roles: ['investigating_officer'], unit: 'MH', station: 'MH-PUNE-SHIVAJINAGAR' }) }), 403, 'unknown_tenancy');
    await expectProblem(await api('/v1/stations', { token: await sign({ roles: ['district_supervisor'], unit: 'MH', district: 'MH-PUNE' }) }), 403, 'unknown_tenancy');
  });

  it('accepts only the algorithms pinned for its issuer, until the unit changes them', async () => {
    const rsaKey = await newProviderKey('RS256');
    const { tenant, provider, sign, adminToken, registered } = await unitWithProvider({ alg: 'ES256', alsoPublished: [rsaKey], algorithms: ['ES256'] });
    const claims = { roles: ['unit_admin'] };
    expect(await stationCodesSeenBy(await sign(claims))).toHaveLength(4);
    // A valid RS256 token from the same issuer, signed by a key the provider publishes: still refused.
    const rs256 = await sign(claims, {}, rsaKey);
    await expectRefused(rs256);

    const updated = await parseResponse(
      updateIdentityProviderRoute,
      200,
      await api(`/v1/units/${tenant.unitCode}/identity-providers/${registered.id}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { algorithms: ['ES256', 'RS256'] } }),
    );
    expect(updated).toMatchObject({ issuer: provider.issuer, algorithms: ['ES256', 'RS256'], jwksUri: provider.jwksUri });
    expect(await stationCodesSeenBy(rs256)).toHaveLength(4);
  });

  it('refuses ID tokens unless the unit switches on acceptIdTokens for its legacy clients', async () => {
    const { tenant, registered, adminToken, sign } = await unitWithProvider();
    expect(registered.acceptIdTokens).toBe(false);
    // An ID token whose audience is the API, as Cognito and Google issue when audience = client id.
    const idToken = await sign({ roles: ['unit_admin'], nonce: 'n-0S6_WzA2Mj', at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q' });
    await expectRefused(idToken, 'this is an ID token');

    const updated = await parseResponse(
      updateIdentityProviderRoute,
      200,
      await api(`/v1/units/${tenant.unitCode}/identity-providers/${registered.id}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { acceptIdTokens: true } }),
    );
    expect(updated).toMatchObject({ acceptIdTokens: true, version: registered.version + 1 });
    expect(await stationCodesSeenBy(idToken)).toHaveLength(4);
    expect(await stationCodesSeenBy(await sign({ roles: ['unit_admin'], token_use: 'id' }))).toHaveLength(4);
    // Still never a refresh token, and access tokens keep working.
    await expectRefused(await sign({ roles: ['unit_admin'], token_use: 'refresh' }), 'token_use');
    expect(await stationCodesSeenBy(await sign({ roles: ['unit_admin'] }))).toHaveLength(4);
  });

  it.each(['PS256', 'ES384', 'RS512'] as const)('verifies %s tokens against the key set at its jwksUri', async (alg) => {
    const { provider, sign } = await unitWithProvider({ alg });
    expect(await stationCodesSeenBy(await sign({ roles: ['unit_admin'] }))).toHaveLength(4);
    // Once when it was registered (the keys are looked at before they are saved), once to verify.
    expect(await keySetFetches(provider.name)).toBe(2);
  });

  it('refuses HMAC and none on use, even with every asymmetric algorithm pinned', async () => {
    const { key, provider, sign } = await unitWithProvider({ algorithms: [...signingAlgorithms] });
    expect(await stationCodesSeenBy(await sign({ roles: ['unit_admin'] }))).toHaveLength(4);
    const claims = { roles: ['unit_admin'] };
    for (const alg of ['HS256', 'HS384', 'HS512'] as const) {
      const hmac = await new SignJWT(claims)
        .setProtectedHeader({ alg, kid: key.kid })
        .setIssuer(provider.issuer)
        .setAudience(provider.audience)
        .setSubject('attacker')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(JSON.stringify(key.publicJwk)));
      await expectRefused(hmac);
    }
    const [, payload] = (await sign(claims)).split('.');
    await expectRefused(`${base64url.encode(JSON.stringify({ alg: 'none', kid: key.kid }))}.${payload}.`);
  });

  it('refuses a token for another audience, an expired one, and one signed by a key it never published', async () => {
    const { sign } = await unitWithProvider();
    const claims = { roles: ['unit_admin'] };
    await expectRefused(await sign(claims, { audience: 'another-api' }), 'aud');
    await expectRefused(await sign(claims, { audience: env.AUTH_AUDIENCE }), 'aud');
    await expectRefused(await sign(claims, { issuedAt: now() - 7200, expiresAt: now() - 3600 }), 'expired');
    // Still valid by its exp, but issued 25 h ago: the answer says so rather than "expired".
    const issuedLongAgo = await expectRefused(await sign(claims, { issuedAt: now() - 25 * 3600, expiresAt: now() + 3600 }), 'issued too long ago');
    expect(issuedLongAgo.detail).not.toContain('expired');
    const stranger = await newProviderKey('ES256');
    await expectRefused(await sign(claims, {}, stranger));
    await expectRefused(await sign(claims, { kid: (await newProviderKey('ES256')).kid }));
  });

  it('refetches its key set for an unknown kid, so a rotated key is accepted at once, but not more often than the short cooldown allows', async () => {
    const { provider, sign } = await unitWithProvider();
    const claims = { roles: ['unit_admin'] };
    // The registration looked at the keys once; verifying fetches them again, once.
    const atRegistration = await keySetFetches(provider.name);
    const fetchesSinceRegistration = async () => (await keySetFetches(provider.name)) - atRegistration;
    expect(await stationCodesSeenBy(await sign(claims))).toHaveLength(4);
    expect(await fetchesSinceRegistration()).toBe(1);

    // The provider rotates right after the API fetched its keys: the new set holds only a new key.
    const rotated = await newProviderKey('ES256');
    await publishKeys(provider.name, [rotated]);
    expect(await stationCodesSeenBy(await sign(claims, {}, rotated))).toHaveLength(4);
    expect(await fetchesSinceRegistration()).toBe(2);
    // The retired key left the set: its tokens no longer verify, and asking again so soon fetches nothing.
    await expectRefused(await sign(claims));
    // Nor does a stream of invented kids make the API hammer the provider.
    for (let attempt = 0; attempt < 3; attempt += 1) await expectRefused(await sign(claims, { kid: `invented-${attempt}` }, rotated));
    expect(await fetchesSinceRegistration()).toBe(2);

    // Rotating again within the cooldown: refused until it has passed (the clock moved, not waited for), then one refetch.
    const rotatedAgain = await newProviderKey('ES256');
    await publishKeys(provider.name, [rotatedAgain]);
    await expectRefused(await sign(claims, {}, rotatedAgain));
    expect(await fetchesSinceRegistration()).toBe(2);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + unknownKidCooldownMilliseconds);
    expect(await stationCodesSeenBy(await sign(claims, {}, rotatedAgain))).toHaveLength(4);
    expect(await fetchesSinceRegistration()).toBe(3);
  });

  it('answers 503 (retry later), not 401, while its key set cannot be fetched, and recovers when it can', async () => {
    const unpublished = await unitWithProvider({ publish: false });
    const token = await unpublished.sign({ roles: ['unit_admin'] });
    const missing = await api('/v1/stations', { token });
    expect(missing.headers.get('retry-after')).toEqual(expect.any(String));
    await expectProblem(missing, 503, 'dependency_unavailable');

    await publishKeys(unpublished.provider.name, [unpublished.key]);
    expect(await stationCodesSeenBy(token)).toHaveLength(4);
  });

  it.each(signingAlgorithms)('verifies against an inline key set (%s) without fetching anything', async (alg) => {
    const { tenant, provider, registered, sign } = await unitWithProvider({ alg, inline: true });
    expect(registered).toMatchObject({ jwksUri: null, jwks: { keys: [expect.objectContaining({ kid: expect.any(String) })] }, algorithms: [alg] });
    expect(await stationCodesSeenBy(await sign({ roles: ['station_house_officer'], station: tenant.stationCodes[3] }))).toEqual([tenant.stationCodes[3]]);
    expect(await keySetFetches(provider.name)).toBe(0);
    await expectRefused(await sign({ roles: ['unit_admin'] }, {}, await newProviderKey(alg)));
  });

  it('refuses keys served over plain http from anywhere but loopback, and URLs that are not http at all', async () => {
    const tenant = await createTestTenant();
    const adminToken = await tokenFor.unit(tenant.unitCode);
    const provider = newProviderIdentity();
    const register = (jwksUri: string) =>
      api(`/v1/units/${tenant.unitCode}/identity-providers`, {
        method: 'POST',
        token: adminToken,
        body: { issuer: provider.issuer, audience: provider.audience, jwksUri, algorithms: ['ES256'] },
      });
    for (const jwksUri of [
      'http://login.example.gov.in/jwks',
      'http://10.0.0.8/jwks',
      'http://127.0.0.1.nip.io/jwks',
      'http://127.0.0.1@login.example.gov.in/jwks',
      'ftp://login.example.gov.in/jwks',
      'file:///etc/passwd',
    ]) {
      const problem = await expectProblem(await register(jwksUri), 400, 'validation_failed');
      expect(problem.errors, jwksUri).toEqual([expect.objectContaining({ pointer: '/body/jwksUri' })]);
    }
    // Loopback passes here only because the tests' deployment allows it; the keys are then fetched and looked at.
    expect(await parseResponse(registerIdentityProviderRoute, 201, await register(await publishKeys(provider.name, [await newProviderKey('ES256')])))).toMatchObject({
      jwksUri: provider.jwksUri,
      jwks: null,
    });
  });

  it('stops accepting its tokens at once on this isolate when the unit removes it', async () => {
    const { tenant, adminToken, registered, sign } = await unitWithProvider();
    const token = await sign({ roles: ['investigating_officer'], station: tenant.stationCodes[0] });
    expect(await stationCodesSeenBy(token)).toEqual([tenant.stationCodes[0]]);

    const removed = await api(`/v1/units/${tenant.unitCode}/identity-providers/${registered.id}`, { method: 'DELETE', headers: { 'If-Match': '*' }, token: adminToken });
    expect(removed.status).toBe(204);
    // The same answer as a bad signature: an outsider cannot learn which issuers are registered.
    await expectRefused(token, 'signature does not verify');
  });

  it.each(['ES256', 'RS256', 'EdDSA'] as const)('refuses a private key (%s) in an inline key set, on registration and on update', async (alg) => {
    const { tenant, adminToken, registered } = await unitWithProvider({ alg: 'ES256', inline: true });
    const privateJwk = await privateJwkOf(await newProviderKey(alg));
    const provider = newProviderIdentity();
    const onRegister = await expectProblem(
      await api(`/v1/units/${tenant.unitCode}/identity-providers`, {
        method: 'POST',
        token: adminToken,
        body: { issuer: provider.issuer, audience: provider.audience, jwks: { keys: [privateJwk] }, algorithms: [alg] },
      }),
      400,
      'validation_failed',
    );
    expect(onRegister.errors).toEqual([expect.objectContaining({ pointer: '/body/jwks/keys/0' })]);
    const onUpdate = await expectProblem(
      await api(`/v1/units/${tenant.unitCode}/identity-providers/${registered.id}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { jwks: { keys: [privateJwk] } } }),
      400,
      'validation_failed',
    );
    expect(onUpdate.errors).toEqual([expect.objectContaining({ pointer: '/body/jwks/keys/0' })]);
    const listed = await parseResponse(listIdentityProvidersRoute, 200, await api(`/v1/units/${tenant.unitCode}/identity-providers`, { token: adminToken }));
    expect(listed.data).toEqual([registered]);
    expect(JSON.stringify(listed)).not.toContain(privateJwk.d!);
  });

  it('reads roles, district and station from the claim names the unit registered', async () => {
    const { tenant, registered, sign } = await unitWithProvider({ claimNames: { rolesClaim: 'groups', districtClaim: 'div', stationClaim: 'ps' } });
    expect(registered).toMatchObject({ rolesClaim: 'groups', districtClaim: 'div', stationClaim: 'ps' });

    const supervisor = await sign({ groups: ['district_supervisor'], div: tenant.districtCodes[1] });
    expect(await stationCodesSeenBy(supervisor)).toEqual([tenant.stationCodes[2], tenant.stationCodes[3]]);
    const officer = await sign({ groups: 'duty_officer', ps: tenant.stationCodes[1] });
    expect(await stationCodesSeenBy(officer)).toEqual([tenant.stationCodes[1]]);

    // The default claim names mean nothing for this provider.
    await expectRefused(await sign({ roles: ['district_supervisor'], district: tenant.districtCodes[1] }), 'roles');
    await expectRefused(await sign({ groups: ['district_supervisor'], district: tenant.districtCodes[1] }), 'district');
  });
});

describe("a unit's identity provider, its claims as the provider shapes them", () => {
  it('reads roles at a dotted path and ignores values that are not roles of this API (Keycloak realm defaults)', async () => {
    const { tenant, sign } = await unitWithProvider({ claimNames: { rolesClaim: 'realm_access.roles' } });
    const realmDefaults = ['default-roles-officers', 'offline_access', 'uma_authorization'];
    const admin = await sign({ realm_access: { roles: [...realmDefaults, 'unit_admin'] }, resource_access: { account: { roles: ['manage-account'] } } });
    expect(await stationCodesSeenBy(admin)).toEqual([...tenant.stationCodes].sort());
    await expectRefused(await sign({ realm_access: { roles: realmDefaults } }), 'maps to a role of this API');
    await expectRefused(await sign({ roles: ['unit_admin'] }), 'roles');
  });

  it('reads a claim whose name contains dots through a JSON pointer', async () => {
    const { tenant, sign } = await unitWithProvider({ claimNames: { rolesClaim: '/resource_access/sextortion.sop-api/roles' } });
    const admin = await sign({ resource_access: { 'sextortion.sop-api': { roles: ['unit_admin'] } } });
    expect(await stationCodesSeenBy(admin)).toEqual([...tenant.stationCodes].sort());
  });

  it('maps groups to roles and a group path to the station, ignoring the rest (Okta, Entra ID)', async () => {
    const { tenant, sign } = await unitWithProvider({
      claimNames: { rolesClaim: 'groups', stationClaim: 'groups' },
      roleMap: { roles: { 'police-io-*': 'investigating_officer' }, stationFrom: '/stations/{code}' },
    });
    const station = tenant.stationCodes[0]!;
    const officer = await sign({ groups: ['Everyone', '6f1c2a4e-0000-4000-8000-000000000001', 'police-io-pune', `/stations/${station.toLowerCase()}`] });
    expect(await stationCodesSeenBy(officer)).toContain(station);
    await expectRefused(await sign({ groups: ['Everyone', `/stations/${station}`] }), 'maps to a role of this API');
    // Role names the map does not name count for nothing, even when they are this API's own.
    await expectRefused(await sign({ groups: ['unit_admin'] }), 'maps to a role of this API');
  });

  it('takes a station sent as a one-element array or in lower case, and refuses a token naming several', async () => {
    const { tenant, sign } = await unitWithProvider();
    const [first, second] = [tenant.stationCodes[0]!, tenant.stationCodes[1]!];
    expect(await stationCodesSeenBy(await sign({ roles: ['investigating_officer'], station: [first.toLowerCase()] }))).toContain(first);
    await expectRefused(await sign({ roles: ['investigating_officer'], station: [first, second] }), 'several stations');
  });

  it('refuses a role map that grants platform-wide power, and a malformed claim path, saving nothing', async () => {
    const tenant = await createTestTenant();
    const provider = newProviderIdentity();
    const key = await newProviderKey('ES256');
    await publishKeys(provider.name, [key]);
    const register = (extra: Record<string, unknown>) =>
      api(`/v1/units/${tenant.unitCode}/identity-providers`, {
        method: 'POST',
        token: tokenForAdmin,
        body: { issuer: provider.issuer, audience: provider.audience, jwksUri: provider.jwksUri, algorithms: ['ES256'], ...extra },
      });
    const tokenForAdmin = await tokenFor.unit(tenant.unitCode);
    const granting = await expectProblem(await register({ roleMap: { roles: { 'it-staff': 'platform_admin' } } }), 400, 'validation_failed');
    expect(JSON.stringify(granting.errors)).toContain('/body/roleMap/roles/it-staff');
    await expectProblem(await register({ roleMap: { roles: { robots: 'integration_client' } } }), 400, 'validation_failed');
    const malformed = await expectProblem(await register({ rolesClaim: 'realm_access..roles' }), 400, 'validation_failed');
    expect(JSON.stringify(malformed.errors)).toContain('/body/rolesClaim');
    const listed = await parseResponse(listIdentityProvidersRoute, 200, await api(`/v1/units/${tenant.unitCode}/identity-providers`, { token: tokenForAdmin }));
    expect(listed.data).toEqual([]);
  });

  it('stores a role map changed later, applies it, and audits the change', async () => {
    const { tenant, adminToken, registered, sign } = await unitWithProvider({ claimNames: { rolesClaim: 'groups' } });
    await expectRefused(await sign({ groups: ['sextortion-admins'] }), 'maps to a role of this API');
    const roleMap = { roles: { 'sextortion-admins': 'unit_admin' } };
    const updated = await parseResponse(
      updateIdentityProviderRoute,
      200,
      await api(`/v1/units/${tenant.unitCode}/identity-providers/${registered.id}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { roleMap } }),
    );
    expect(updated.roleMap).toEqual(roleMap);
    expect(await stationCodesSeenBy(await sign({ groups: ['Everyone', 'sextortion-admins'] }))).toEqual([...tenant.stationCodes].sort());
    const audited = (await auditTrail(tenant.unitCode, adminToken)).filter((event) => event.target.id === registered.id);
    expect(audited.map((event) => event.action)).toEqual(['identity_provider.registered', 'identity_provider.updated']);
    expect(JSON.stringify(audited[1])).toContain('sextortion-admins');
  });
});
