import { describe, expect, it } from 'vitest';
import { createDistrictRoute } from '../../src/routes/districts/create-district.js';
import { registerIdentityProviderRoute } from '../../src/routes/identity-providers/register-identity-provider.js';
import { createStationRoute } from '../../src/routes/stations/create-station.js';
import { listStations } from '../../src/routes/stations/list-stations.js';
import { getUnitRoute } from '../../src/routes/units/get-unit.js';
import { api, expectProblem } from '../support/api.js';
import { auditTrail } from '../support/audit.js';
import { parseResponse } from '../support/contract.js';
import {
  clientAccessToken,
  keySetFetches,
  newProviderIdentity,
  newProviderKey,
  newUnitCode,
  onboardUnit,
  privateJwkOf,
  providerToken,
  publishKeys,
} from '../support/identity.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

async function visibleStationCodes(token: string): Promise<string[]> {
  const page = await parseResponse(listStations, 200, await api('/v1/stations?limit=200', { token }));
  return page.data.map((station) => station.code);
}

/** The unit administrator builds the unit's tree: one commissionerate with two stations. */
async function buildTree(unitCode: string, adminToken: string) {
  const district = `${unitCode}-BENGALURU`;
  const created = await parseResponse(
    createDistrictRoute,
    201,
    await api(`/v1/units/${unitCode}/districts`, {
      method: 'POST',
      token: adminToken,
      body: { code: district, name: 'Bengaluru City Police Commissionerate', kind: 'commissionerate' },
    }),
  );
  expect(created).toMatchObject({ code: district, unitCode, kind: 'commissionerate' });
  const stations = [`${district}-CEN`, `${district}-KORAMANGALA`] as const;
  for (const [index, code] of stations.entries()) {
    const station = await parseResponse(
      createStationRoute,
      201,
      await api(`/v1/units/${unitCode}/stations`, {
        method: 'POST',
        token: adminToken,
        body: { code, name: `Station ${code}`, districtCode: district, isCyberCrimeStation: index === 0 },
      }),
    );
    expect(station).toMatchObject({ code, unitCode, district: { code: district } });
  }
  return { district, stations };
}

/** What a caller of the new unit must never see: the demo unit MH, and another unit. */
async function expectNothingOfOtherUnits(token: string, otherUnitCodes: string[]) {
  for (const unitCode of otherUnitCodes) {
    await expectProblem(await api(`/v1/units/${unitCode}/districts`, { token }), 404, 'not_found');
    expect((await visibleStationCodes(token)).filter((code) => code.startsWith(`${unitCode}-`)), unitCode).toEqual([]);
  }
}

describe('onboarding a state cyber unit through the API alone', () => {
  it.each(['ES256', 'RS256', 'EdDSA'] as const)(
    'a new unit registers its own identity provider (%s), and its officer reads their own station and nothing else',
    async (alg) => {
      // The unit's identity provider: its key pair, and its key set served on loopback.
      const provider = newProviderIdentity();
      const key = await newProviderKey(alg);
      await publishKeys(provider.name, [key]);

      // The platform administrator onboards the unit and gets a unit administrator's credentials, once.
      const unitCode = newUnitCode('KA');
      const onboarded = await onboardUnit({ code: unitCode, name: 'Karnataka CID Cyber Crime Division' });
      expect(onboarded.unit).toMatchObject({ code: unitCode, name: 'Karnataka CID Cyber Crime Division' });
      expect(onboarded.identityProvider).toBeNull();
      const administrator = onboarded.administrator!;
      expect(administrator.client).toMatchObject({ unitCode, roles: ['unit_admin'], districtCode: null, stationCode: null, disabled: false });
      expect(administrator.clientSecret).toMatch(/^sec_/);

      // The unit administrator signs in as a machine client and builds the unit.
      const adminToken = await clientAccessToken({ clientId: administrator.client.clientId, clientSecret: administrator.clientSecret });
      const { district, stations } = await buildTree(unitCode, adminToken);

      // An officer's token from the unit's provider means nothing until the provider is registered.
      const officerClaims = { roles: ['investigating_officer'], station: stations[1] };
      await expectProblem(await api('/v1/stations', { token: await providerToken(key, officerClaims, provider) }), 401, 'unauthorized');

      const registered = await parseResponse(
        registerIdentityProviderRoute,
        201,
        await api(`/v1/units/${unitCode}/identity-providers`, {
          method: 'POST',
          token: adminToken,
          body: { issuer: provider.issuer, audience: provider.audience, jwksUri: provider.jwksUri, algorithms: [alg] },
        }),
      );
      expect(registered).toMatchObject({
        unitCode,
        issuer: provider.issuer,
        audience: provider.audience,
        jwksUri: provider.jwksUri,
        jwks: null,
        algorithms: [alg],
        rolesClaim: 'roles',
        districtClaim: 'district',
        stationClaim: 'station',
      });

      // The officer of the second station sees that station, fetched with the provider's own keys.
      const officerToken = await providerToken(key, officerClaims, provider);
      const seen = await parseResponse(listStations, 200, await api('/v1/stations', { token: officerToken }));
      expect(seen.data).toEqual([expect.objectContaining({ code: stations[1], unitCode, district: expect.objectContaining({ code: district }) })]);
      expect(await keySetFetches(provider.name)).toBeGreaterThan(0);

      // Nothing of the demo unit or another unit, for the officer or for the unit administrator.
      const other = await createTestTenant();
      await expectNothingOfOtherUnits(officerToken, ['MH', other.unitCode]);
      await expectNothingOfOtherUnits(adminToken, ['MH', other.unitCode]);
      expect(await visibleStationCodes(adminToken)).toEqual([...stations].sort());
      await expectProblem(await api('/v1/units/MH', { token: adminToken }), 404, 'not_found');
      await expectProblem(await api(`/v1/units/${other.unitCode}`, { token: adminToken }), 404, 'not_found');
      expect(await parseResponse(getUnitRoute, 200, await api(`/v1/units/${unitCode}`, { token: adminToken }))).toMatchObject({ code: unitCode });

      // Every step is on the unit's audit trail, in order.
      const trail = await auditTrail(unitCode, adminToken);
      expect(trail.map((event) => event.action)).toEqual([
        'unit.created',
        'client.created',
        'district.created',
        'station.created',
        'station.created',
        'identity_provider.registered',
      ]);
      expect(trail[0]!.actor.roles).toEqual(['platform_admin']);
      expect(trail[2]!.actor).toMatchObject({ subject: administrator.client.clientId, roles: ['unit_admin'] });
    },
  );

  it('binds the unit to its identity provider at onboarding: its own officers administer it with their own tokens', async () => {
    const provider = newProviderIdentity();
    const key = await newProviderKey('ES256');
    await publishKeys(provider.name, [key]);

    // Tried before the unit exists: refused (and remembered as unregistered by this isolate).
    const early = await providerToken(key, { groups: ['unit_admin'] }, provider);
    await expectProblem(await api('/v1/stations', { token: early }), 401, 'unauthorized');

    const unitCode = newUnitCode('TN');
    const onboarded = await onboardUnit({
      code: unitCode,
      name: 'Tamil Nadu Cyber Crime Wing',
      identityProvider: { issuer: provider.issuer, audience: provider.audience, jwksUri: provider.jwksUri, algorithms: ['ES256'], rolesClaim: 'groups' },
    });
    expect(onboarded.administrator).toBeNull();
    expect(onboarded.identityProvider).toMatchObject({ unitCode, issuer: provider.issuer, jwksUri: provider.jwksUri, jwks: null, algorithms: ['ES256'], rolesClaim: 'groups' });

    // The unit's own administrator, signed in with the unit's provider, builds the unit.
    const adminToken = await providerToken(key, { groups: ['unit_admin'] }, { ...provider, subject: 'tn-admin' });
    const { district, stations } = await buildTree(unitCode, adminToken);

    const officerToken = await providerToken(key, { groups: ['station_house_officer'], station: stations[0] }, provider);
    expect(await visibleStationCodes(officerToken)).toEqual([stations[0]]);
    const supervisorToken = await providerToken(key, { groups: ['district_supervisor'], district }, provider);
    expect(await visibleStationCodes(supervisorToken)).toEqual([...stations].sort());

    const other = await createTestTenant();
    await expectNothingOfOtherUnits(officerToken, ['MH', other.unitCode]);
    await expectNothingOfOtherUnits(adminToken, ['MH', other.unitCode]);
    await expectProblem(
      await api('/v1/units/MH/districts', { method: 'POST', token: adminToken, body: { code: 'MH-PLANTED', name: 'Planted district' } }),
      404,
      'not_found',
    );

    const trail = await auditTrail(unitCode, adminToken);
    expect(trail.map((event) => event.action)).toEqual(['unit.created', 'identity_provider.registered', 'district.created', 'station.created', 'station.created']);
    expect(trail[2]!.actor).toEqual({ issuer: provider.issuer, subject: 'tn-admin', roles: ['unit_admin'] });
  });

  it('onboards nothing when the identity provider cannot be bound, so the same code can be retried', async () => {
    const existing = await createTestTenant();
    const taken = newProviderIdentity();
    const key = await newProviderKey('ES256');
    const inline = { jwks: { keys: [key.publicJwk] }, algorithms: ['ES256'] };
    const first = await api(`/v1/units/${existing.unitCode}/identity-providers`, {
      method: 'POST',
      token: await tokenFor.unit(existing.unitCode),
      body: { issuer: taken.issuer, audience: taken.audience, ...inline },
    });
    expect(await parseResponse(registerIdentityProviderRoute, 201, first)).toMatchObject({ unitCode: existing.unitCode, issuer: taken.issuer });

    const unitCode = newUnitCode('GJ');
    const refused = await api('/v1/units', {
      method: 'POST',
      token: await tokenFor.platform(),
      body: { code: unitCode, name: 'Gujarat Cyber Crime Cell', identityProvider: { issuer: taken.issuer, audience: taken.audience, ...inline } },
    });
    await expectProblem(refused, 409, 'already_exists');
    await expectProblem(await api(`/v1/units/${unitCode}`, { token: await tokenFor.platform() }), 404, 'not_found');

    const fresh = newProviderIdentity();
    const onboarded = await onboardUnit({ code: unitCode, name: 'Gujarat Cyber Crime Cell', identityProvider: { issuer: fresh.issuer, audience: fresh.audience, ...inline } });
    expect(onboarded.unit.code).toBe(unitCode);
    expect(onboarded.identityProvider).toMatchObject({ issuer: fresh.issuer, jwksUri: null, jwks: { keys: [expect.objectContaining({ kid: key.kid })] } });
  });

  it('refuses, at onboarding, keys served over plain http from anywhere but loopback, from a private host, or a private key', async () => {
    const provider = newProviderIdentity();
    const key = await newProviderKey('ES256');
    const body = (identityProvider: Record<string, unknown>) => ({
      code: newUnitCode('RJ'),
      name: 'Rajasthan Cyber Crime Cell',
      identityProvider: { issuer: provider.issuer, audience: provider.audience, algorithms: ['ES256'], ...identityProvider },
    });
    const plainHttp = await expectProblem(
      await api('/v1/units', { method: 'POST', token: await tokenFor.platform(), body: body({ jwksUri: 'http://idp.rajasthan.example/jwks' }) }),
      400,
      'validation_failed',
    );
    expect(plainHttp.errors).toEqual([expect.objectContaining({ pointer: '/body/identityProvider/jwksUri' })]);
    const privateHost = await expectProblem(
      await api('/v1/units', { method: 'POST', token: await tokenFor.platform(), body: body({ jwksUri: 'https://169.254.169.254/latest/meta-data/' }) }),
      400,
      'validation_failed',
    );
    expect(privateHost.errors).toEqual([{ pointer: '/body/identityProvider/jwksUri', detail: expect.stringContaining('link-local') }]);

    const privateKey = await expectProblem(
      await api('/v1/units', { method: 'POST', token: await tokenFor.platform(), body: body({ jwks: { keys: [await privateJwkOf(key)] } }) }),
      400,
      'validation_failed',
    );
    expect(privateKey.errors).toEqual([expect.objectContaining({ pointer: '/body/identityProvider/jwks/keys/0' })]);
  });
});
