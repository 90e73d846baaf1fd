import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { getCaseRoute } from '../../src/routes/cases/get-case.js';
import { listStations } from '../../src/routes/stations/list-stations.js';
import { api, expectProblem } from '../support/api.js';
import { reportTestCase } from '../support/cases.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';
import { documentedRegistrations, vendorProviders, type VendorName, type VendorUser } from '../support/vendor-providers.js';
import { machineTokenAt, registerProviderByIssuer, rotateSigningKey, signInAt, vendorIssuer } from '../support/vendor-sign-in.js';

type OfficerRole = 'duty_officer' | 'district_supervisor' | 'unit_admin';
type Placement = { station?: string; district?: string };

/**
 * Each vendor as the README's "Onboarding your identity provider" configures it: the unit
 * registers documentedRegistrations[vendor]; here, how the vendor's directory holds an officer
 * (role or group names, the attributes its mappers send). The tokens come from the vendor-shaped providers.
 */
interface VendorCase {
  vendor: VendorName;
  user(role: OfficerRole, placement: Placement): VendorUser;
  /** The vendor's default values the API must ignore, present in a real access token. */
  expectNoise(claims: JWTPayload): void;
  /** The claim a token for another audience is refused for (Cognito: client_id). */
  audienceClaim: 'aud' | 'client_id';
  /** What the refusal of the vendor's ID token says. Okta's is for the client, never api://default: it fails on its audience first. */
  idTokenRefusal: string;
  /** What the vendor's machine client (client credentials) is to this API: a unit administrator, or refused (and why). */
  machine: 'unit_admin' | { refusedFor: string };
}

const keycloakRoles = { duty_officer: 'sop-duty-officer', district_supervisor: 'sop-district-supervisor', unit_admin: 'sop-unit-admin' };
const keycloak = (vendor: 'keycloak' | 'keycloak-fapi'): VendorCase => ({
  vendor,
  // A user attribute mapper sends the station as the directory holds it, lower case here.
  user: (role, placement) => ({ username: `kc-${role}`, roles: [keycloakRoles[role]], station: placement.station?.toLowerCase(), district: placement.district }),
  expectNoise: (claims) => {
    expect((claims.realm_access as { roles: string[] }).roles).toEqual(expect.arrayContaining([`default-roles-${vendorProviders[vendor].realm}`, 'offline_access', 'uma_authorization']));
    expect(claims.aud).toEqual(['sextortion-sop-api', 'account']);
    expect(claims.typ).toBe('Bearer');
  },
  audienceClaim: 'aud',
  idTokenRefusal: 'this is an ID token',
  machine: 'unit_admin',
});

const entraRoles = { duty_officer: 'SOP.DutyOfficer', district_supervisor: 'SOP.DistrictSupervisor', unit_admin: 'SOP.UnitAdmin' };
const cognitoGroups = { duty_officer: 'sop-duty-officers', district_supervisor: 'sop-district-supervisors', unit_admin: 'sop-unit-admins' };
const oktaGroups = { duty_officer: 'SOP Duty Officers', district_supervisor: 'SOP District Supervisors', unit_admin: 'SOP Unit Admins' };

const vendorCases: VendorCase[] = [
  keycloak('keycloak'),
  keycloak('keycloak-fapi'),
  {
    vendor: 'entra',
    user: (role, placement) => ({ username: `entra-${role}`, roles: [entraRoles[role]], ...placement }),
    expectNoise: (claims) => {
      expect(claims.groups).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
      expect(claims).toMatchObject({ ver: '2.0', tid: expect.any(String), oid: expect.any(String), scp: 'access_as_user' });
    },
    audienceClaim: 'aud',
    idTokenRefusal: 'this is an ID token',
    machine: 'unit_admin',
  },
  {
    vendor: 'cognito',
    // Cognito's access tokens carry no user attributes: the station and district are groups too.
    user: (role, placement) => ({
      username: `cognito-${role}`,
      roles: [cognitoGroups[role], ...(placement.station ? [`station-${placement.station}`] : []), ...(placement.district ? [`district-${placement.district}`] : [])],
    }),
    expectNoise: (claims) => {
      expect(claims).toMatchObject({ token_use: 'access', client_id: vendorProviders.cognito.clientId, username: expect.any(String), scope: expect.any(String) });
      expect(claims).not.toHaveProperty('aud');
    },
    audienceClaim: 'client_id',
    idTokenRefusal: 'this is an ID token',
    // Another app client of the pool: its client_id is not the API's.
    machine: { refusedFor: 'client_id' },
  },
  {
    vendor: 'okta',
    user: (role, placement) => ({ username: `okta-${role}`, roles: [oktaGroups[role]], ...placement }),
    expectNoise: (claims) => {
      expect((claims.groups as string[])[0]).toBe('Everyone');
      expect(claims).toMatchObject({ ver: 1, cid: vendorProviders.okta.clientId, uid: expect.stringMatching(/^00u/), scp: ['openid', 'profile'], aud: 'api://default' });
    },
    audienceClaim: 'aud',
    idTokenRefusal: 'aud',
    // Okta's groups claim is a user's: a machine token carries none.
    machine: { refusedFor: 'carries no roles' },
  },
];

async function stationCodesSeenBy(token: string): Promise<string[]> {
  const page = await parseResponse(listStations, 200, await api('/v1/stations?limit=200', { token }));
  return page.data.map((station) => station.code);
}

async function expectRefused(token: string, detail: string) {
  const problem = await expectProblem(await api('/v1/stations', { token }), 401, 'unauthorized');
  expect(problem.detail).toContain(detail);
}

describe.each(vendorCases)('a unit onboarding $vendor with its default token shapes', (vendorCase) => {
  const { vendor } = vendorCase;
  let tenant: TestTenant;
  const signIn = async (role: OfficerRole, placement: Placement = {}) => (await signInAt(vendor, vendorCase.user(role, placement))).access_token;

  beforeAll(async () => {
    tenant = await createTestTenant();
    const registered = await registerProviderByIssuer(tenant.unitCode, await tokenFor.unit(tenant.unitCode), { issuer: vendorIssuer(vendor), ...documentedRegistrations[vendor] });
    expect(registered).toMatchObject({ issuer: vendorIssuer(vendor), issuerDiscovery: true, algorithms: [vendorProviders[vendor].algorithm] });
  });

  it('takes a duty officer, a district supervisor and a unit administrator signed in at the provider, ignoring its default values', async () => {
    const [station, otherStation] = [tenant.stationCodes[0], tenant.stationCodes[1]];
    const dutyOfficer = await signIn('duty_officer', { station });
    expect(decodeProtectedHeader(dutyOfficer).alg).toBe(vendorProviders[vendor].algorithm);
    vendorCase.expectNoise(decodeJwt(dutyOfficer));
    const reported = await reportTestCase(tenant, {}, dutyOfficer);
    expect(reported.station.code).toBe(station);
    expect(await stationCodesSeenBy(dutyOfficer)).toEqual([station]);

    const supervisor = await signIn('district_supervisor', { district: tenant.districtCodes[0] });
    expect(await stationCodesSeenBy(supervisor)).toEqual([station, otherStation]);
    expect(await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${reported.id}`, { token: supervisor }))).toMatchObject({ id: reported.id });

    const unitAdmin = await signIn('unit_admin');
    expect(await stationCodesSeenBy(unitAdmin)).toEqual([...tenant.stationCodes].sort());
    expect(await parseResponse(getCaseRoute, 200, await api(`/v1/cases/${reported.id}`, { token: unitAdmin }))).toMatchObject({ id: reported.id });
  });

  it("refuses the provider's ID token, and a token for another audience", async () => {
    const { id_token: idToken } = await signInAt(vendor, vendorCase.user('unit_admin', {}));
    expect(idToken).toEqual(expect.any(String));
    await expectRefused(idToken!, vendorCase.idTokenRefusal);
    const forAnotherApi = await machineTokenAt(vendor, 'another-api');
    await expectRefused(forAnotherApi.access_token, vendorCase.audienceClaim);
  });

  it("takes the provider's machine client (client credentials) for what its roles say", async () => {
    const machine = (await machineTokenAt(vendor)).access_token;
    if (vendorCase.machine === 'unit_admin') expect(await stationCodesSeenBy(machine)).toHaveLength(4);
    else await expectRefused(machine, vendorCase.machine.refusedFor);
  });

  it('accepts a token signed with a key the provider rotated to a moment ago', async () => {
    const before = await signIn('unit_admin');
    expect(await stationCodesSeenBy(before)).toHaveLength(4);
    const newKid = await rotateSigningKey(vendor);
    const after = await signIn('unit_admin');
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect(await stationCodesSeenBy(after)).toHaveLength(4);
  });
});
