/**
 * The identity providers that tests/oidc-providers.ts runs on loopback, one oidc-provider per
 * vendor, each with an issuer path and client ids shaped like the vendor's. Plain data: the
 * Node-side harness and the workers tests both read it.
 */
export const entraTenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const entraApplicationId = '3f8a2b6c-1d4e-4f5a-9b7c-0e1d2c3b4a59';

export const vendorProviders = {
  keycloak: {
    issuerPath: '/keycloak/realms/sop',
    realm: 'sop',
    algorithm: 'RS256',
    // One client for the station portal's sign-in and for the API, with an Audience mapper naming itself.
    clientId: 'sextortion-sop-api',
    serviceClientId: 'sop-integration',
    audience: 'sextortion-sop-api',
  },
  'keycloak-fapi': {
    issuerPath: '/keycloak/realms/sop-fapi',
    realm: 'sop-fapi',
    algorithm: 'PS256',
    clientId: 'sextortion-sop-api',
    serviceClientId: 'sop-integration',
    audience: 'sextortion-sop-api',
  },
  entra: {
    issuerPath: `/entra/${entraTenantId}/v2.0`,
    algorithm: 'RS256',
    // One app registration: it signs officers in and exposes the API (accessTokenAcceptedVersion 2: aud is its client id).
    clientId: entraApplicationId,
    serviceClientId: 'b7c6d5e4-f3a2-4b1c-8d9e-0f1a2b3c4d5e',
    audience: entraApplicationId,
  },
  cognito: {
    issuerPath: '/cognito/ap-south-1_Sop7Pune4',
    algorithm: 'RS256',
    clientId: '5r1qb0n2e8sopapi4k7cognito',
    serviceClientId: '7m3kq9sopintegration2x8c1v',
    // Cognito's access tokens name the app client in client_id and carry no aud.
    audience: '5r1qb0n2e8sopapi4k7cognito',
  },
  okta: {
    issuerPath: '/okta/oauth2/default',
    algorithm: 'RS256',
    clientId: '0oa8sopportal4okta697',
    serviceClientId: '0oa8sopintegration698',
    audience: 'api://default',
  },
} as const;

export type VendorName = keyof typeof vendorProviders;

const keycloakRegistration = {
  audience: 'sextortion-sop-api',
  rolesClaim: 'realm_access.roles',
  stationClaim: 'station',
  districtClaim: 'district',
  roleMap: { roles: { 'sop-duty-officer': 'duty_officer', 'sop-district-supervisor': 'district_supervisor', 'sop-unit-admin': 'unit_admin' } },
};

/**
 * What a unit registers for each vendor besides its issuer: the README's "Onboarding your
 * identity provider" shows these (tests/openapi/readme-identity-providers.node.test.ts holds
 * it to them) and tests/auth/vendor-identity-providers.test.ts registers them.
 */
export const documentedRegistrations: Record<VendorName, { audience: string; [setting: string]: unknown }> = {
  keycloak: keycloakRegistration,
  'keycloak-fapi': keycloakRegistration,
  entra: {
    audience: vendorProviders.entra.audience,
    rolesClaim: 'roles',
    stationClaim: '/extn.station',
    districtClaim: '/extn.district',
    roleMap: { roles: { 'SOP.DutyOfficer': 'duty_officer', 'SOP.DistrictSupervisor': 'district_supervisor', 'SOP.UnitAdmin': 'unit_admin' } },
  },
  cognito: {
    audience: vendorProviders.cognito.clientId,
    audienceClaim: 'client_id',
    rolesClaim: 'cognito:groups',
    stationClaim: 'cognito:groups',
    districtClaim: 'cognito:groups',
    roleMap: {
      roles: { 'sop-duty-officers': 'duty_officer', 'sop-district-supervisors': 'district_supervisor', 'sop-unit-admins': 'unit_admin' },
      stationFrom: 'station-{code}',
      districtFrom: 'district-{code}',
    },
  },
  okta: {
    audience: 'api://default',
    rolesClaim: 'groups',
    stationClaim: 'station',
    districtClaim: 'district',
    roleMap: { roles: { 'SOP Duty Officers': 'duty_officer', 'SOP District Supervisors': 'district_supervisor', 'SOP Unit Admins': 'unit_admin' } },
  },
};

/** An officer as the vendor's directory holds them: its own role or group names, and the attributes a mapper sends. */
export interface VendorUser {
  username: string;
  /** Keycloak realm roles, Entra app roles, Cognito groups, Okta groups. */
  roles: string[];
  station?: string;
  district?: string;
}

/** What the harness's sign-in hands back: the tokens from the provider's own token endpoint. */
export interface VendorTokens {
  access_token: string;
  id_token?: string;
  token_type: string;
  expires_in: number;
  scope?: string;
}
