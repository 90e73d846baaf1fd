import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { listIdentityProvidersRoute } from '../../../src/routes/identity-providers/list-identity-providers.js';
import { registerIdentityProviderRoute } from '../../../src/routes/identity-providers/register-identity-provider.js';
import { updateIdentityProviderRoute } from '../../../src/routes/identity-providers/update-identity-provider.js';
import { api, apiWithBindings, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { parseResponse } from '../../support/contract.js';
import { newProviderIdentity, newProviderKey, providerToken, publishKeys } from '../../support/identity.js';

/** A key set published on the loopback host; its URL. */
async function publishedKeySet(alg: 'ES256' | 'RS256' = 'ES256') {
  return publishKeys(newProviderIdentity().name, [await newProviderKey(alg)]);
}
import { createTestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

/** A registration body with an inline key set, for a fresh issuer. */
async function providerBody(overrides: Record<string, unknown> = {}) {
  const identity = newProviderIdentity();
  const key = await newProviderKey('ES256');
  return { issuer: identity.issuer, audience: identity.audience, jwks: { keys: [key.publicJwk] }, algorithms: ['ES256'], ...overrides };
}

function register(unitCode: string, token: string, body: Record<string, unknown>) {
  return api(`/v1/units/${unitCode}/identity-providers`, { method: 'POST', token, body });
}

async function listProviders(unitCode: string, token: string) {
  return (await parseResponse(listIdentityProvidersRoute, 200, await api(`/v1/units/${unitCode}/identity-providers`, { token }))).data;
}

/** A unit of its own, its administrator, and one registered provider. */
async function unitWithProvider() {
  const tenant = await createTestTenant();
  const adminToken = await tokenFor.unit(tenant.unitCode);
  const body = await providerBody();
  const registered = await parseResponse(registerIdentityProviderRoute, 201, await register(tenant.unitCode, adminToken, body));
  return { tenant, adminToken, body, registered, providerPath: `/v1/units/${tenant.unitCode}/identity-providers/${registered.id}` };
}

describe('identity providers: /v1/units/{unitCode}/identity-providers', () => {
  it('registers a provider with default claim names, and lists it', async () => {
    const { tenant, adminToken, body, registered } = await unitWithProvider();
    expect(registered).toEqual({
      id: expect.any(String),
      unitCode: tenant.unitCode,
      issuer: body.issuer,
      audience: body.audience,
      jwksUri: null,
      jwks: body.jwks,
      algorithms: ['ES256'],
      rolesClaim: 'roles',
      districtClaim: 'district',
      stationClaim: 'station',
      acceptIdTokens: false,
      audienceClaim: 'aud',
      issuerDiscovery: false,
      roleMap: null,
      stationSignIn: null,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(await listProviders(tenant.unitCode, adminToken)).toEqual([registered]);

    const certs = await publishedKeySet('RS256');
    const second = await parseResponse(
      registerIdentityProviderRoute,
      201,
      await register(tenant.unitCode, adminToken, await providerBody({ jwks: undefined, jwksUri: certs, algorithms: ['RS256', 'EdDSA'] })),
    );
    expect(second).toMatchObject({ jwks: null, jwksUri: certs, algorithms: ['RS256', 'EdDSA'] });
    expect((await listProviders(tenant.unitCode, adminToken)).map((provider) => provider.id)).toEqual([registered.id, second.id]);
  });

  it('updates audience, algorithms, claim names and keys, never the issuer', async () => {
    const { tenant, adminToken, body, registered, providerPath } = await unitWithProvider();
    const patch = (changes: Record<string, unknown>) => api(providerPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: changes });

    const renamed = await parseResponse(updateIdentityProviderRoute, 200, await patch({ audience: 'officers-api', stationClaim: 'ps', algorithms: ['ES256', 'EdDSA'] }));
    expect(renamed).toMatchObject({ id: registered.id, issuer: body.issuer, audience: 'officers-api', stationClaim: 'ps', rolesClaim: 'roles', algorithms: ['ES256', 'EdDSA'], jwks: body.jwks });

    // Replacing the keys: giving a URI drops the inline set, and back.
    const certs = await publishedKeySet();
    const remote = await parseResponse(updateIdentityProviderRoute, 200, await patch({ jwksUri: certs }));
    expect(remote).toMatchObject({ jwksUri: certs, jwks: null, audience: 'officers-api' });
    const inline = await parseResponse(updateIdentityProviderRoute, 200, await patch({ jwks: body.jwks }));
    expect(inline).toMatchObject({ jwksUri: null, jwks: body.jwks });
    expect(await listProviders(tenant.unitCode, adminToken)).toEqual([inline]);

    const pointers = async (changes: Record<string, unknown>) => (await expectProblem(await patch(changes), 400, 'validation_failed')).errors?.map((error) => error.pointer);
    // The issuer is not a field of an update: an unknown member of the body.
    expect(new Set(await pointers({ issuer: 'https://elsewhere.example/' }))).toEqual(new Set(['/body']));
    expect(await pointers({})).toEqual(['/body']);
    expect(await pointers({ jwks: null })).toEqual(['/body/jwks']);
    expect(await pointers({ jwksUri: 'https://a.example/certs', jwks: body.jwks })).toEqual(['/body/jwksUri']);
    expect(await pointers({ jwksUri: 'http://login.example.gov.in/certs' })).toEqual(['/body/jwksUri']);
    expect(await pointers({ algorithms: ['HS256'] })).toEqual(['/body/algorithms/0']);
    expect(await pointers({ rolesClaim: 'roles claim' })).toEqual(['/body/rolesClaim']);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/identity-providers/${crypto.randomUUID()}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { audience: 'x' } }), 404, 'not_found');
  });

  it('removes a provider (204), after which it is gone', async () => {
    const { tenant, adminToken, providerPath } = await unitWithProvider();
    const removed = await api(providerPath, { method: 'DELETE', headers: { 'If-Match': '*' }, token: adminToken });
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe('');
    expect(await listProviders(tenant.unitCode, adminToken)).toEqual([]);
    await expectProblem(await api(providerPath, { method: 'DELETE', headers: { 'If-Match': '*' }, token: adminToken }), 404, 'not_found');
    await expectProblem(await api(providerPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { audience: 'x' } }), 404, 'not_found');
  });

  it('refuses a registration that does not say exactly where the keys are, or names unsafe algorithms or keys', async () => {
    const tenant = await createTestTenant();
    const adminToken = await tokenFor.unit(tenant.unitCode);
    const pointers = async (overrides: Record<string, unknown>) =>
      (await expectProblem(await register(tenant.unitCode, adminToken, await providerBody(overrides)), 400, 'validation_failed')).errors?.map((error) => error.pointer);
    expect(await pointers({ jwksUri: 'https://login.example.gov.in/certs' })).toEqual(['/body/jwksUri']);
    expect(await pointers({ algorithms: undefined })).toEqual(['/body/algorithms']);
    expect(await pointers({ algorithms: [] })).toEqual(['/body/algorithms']);
    expect(await pointers({ algorithms: ['HS256'] })).toEqual(['/body/algorithms/0']);
    expect(await pointers({ algorithms: ['none'] })).toEqual(['/body/algorithms/0']);
    expect(await pointers({ algorithms: ['ES256', 'HS512'] })).toEqual(['/body/algorithms/1']);
    expect(await pointers({ jwks: { keys: [{ kty: 'oct', k: 'c2VjcmV0', kid: 'shared' }] } })).toEqual(['/body/jwks/keys/0/kty']);
    expect(await pointers({ jwks: { keys: [] } })).toEqual(['/body/jwks/keys']);
    expect(await pointers({ issuer: '' })).toEqual(['/body/issuer']);
    expect(await pointers({ unitCode: 'MH' })).toEqual(['/body']);
    expect(await listProviders(tenant.unitCode, adminToken)).toEqual([]);
  });

  it('refuses a jwksUri that leads to a loopback, private or internal host, on registration and on update, and saves nothing', async () => {
    const { tenant, adminToken, registered, providerPath } = await unitWithProvider();
    // As deployed: no loopback exception.
    const production = apiWithBindings({ ALLOW_LOOPBACK_JWKS: 'false' });
    const refused = async (call: typeof api, jwksUri: string) => {
      const onRegister = await expectProblem(await call(`/v1/units/${tenant.unitCode}/identity-providers`, { method: 'POST', token: adminToken, body: await providerBody({ jwks: undefined, jwksUri }) }), 400, 'validation_failed');
      expect(onRegister.errors, jwksUri).toEqual([{ pointer: '/body/jwksUri', detail: expect.stringMatching(/^jwksUri must /) }]);
      const onUpdate = await expectProblem(await call(providerPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { jwksUri } }), 400, 'validation_failed');
      expect(onUpdate.errors, jwksUri).toEqual([{ pointer: '/body/jwksUri', detail: expect.stringMatching(/^jwksUri must /) }]);
    };
    for (const jwksUri of [
      'https://127.0.0.1:5432/',
      'https://[::1]:5432/',
      'https://localhost:5432/jwks',
      'https://0x7f000001:5432/',
      'https://127.1:5432/',
      'https://2130706433:5432/',
      'https://[::ffff:127.0.0.1]:5432/',
      `${env.TEST_JWKS_HOST}/jwks/anything`,
    ]) {
      await refused(production, jwksUri);
    }
    // Loopback allowed (development, these tests) makes nothing else acceptable.
    for (const jwksUri of [
      'https://user:pass@127.0.0.1:5432/',
      'https://10.0.0.1/jwks',
      'https://[fd00::1]/jwks',
      'https://100.64.0.1/jwks',
      'https://169.254.169.254/latest/meta-data/',
      'https://metadata.google.internal/',
      'https://keycloak.local/certs',
      'https://keycloak/certs',
      'https://login.example.gov.in:5432/certs',
    ]) {
      await refused(production, jwksUri);
      await refused(api, jwksUri);
    }
    expect(await listProviders(tenant.unitCode, adminToken)).toEqual([registered]);
  });

  // That an allowed port passes the rule is shown in tests/net/outbound-url.test.ts: here it would be fetched, off loopback.
  it('refuses a port other than 443 unless the operator allows it (OUTBOUND_ALLOWED_PORTS)', async () => {
    const tenant = await createTestTenant();
    const adminToken = await tokenFor.unit(tenant.unitCode);
    const allowing = apiWithBindings({ ALLOW_LOOPBACK_JWKS: 'false', OUTBOUND_ALLOWED_PORTS: '8443, 9443' });
    const at = (port: number) => providerBody({ jwks: undefined, jwksUri: `https://login.example.gov.in:${port}/certs` });
    const other = await expectProblem(await allowing(`/v1/units/${tenant.unitCode}/identity-providers`, { method: 'POST', token: adminToken, body: await at(8444) }), 400, 'validation_failed');
    expect(other.errors).toEqual([{ pointer: '/body/jwksUri', detail: expect.stringContaining('port 8444') }]);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/identity-providers`, { method: 'POST', token: adminToken, body: await at(8443) }), 400, 'validation_failed');
    expect(await listProviders(tenant.unitCode, adminToken)).toEqual([]);
  });

  it('refuses a second registration of an issuer, by the same unit or another (409)', async () => {
    const { tenant, adminToken, body } = await unitWithProvider();
    await expectProblem(await register(tenant.unitCode, adminToken, { ...body, audience: 'another-audience' }), 409, 'already_exists');
    const other = await createTestTenant();
    await expectProblem(await register(other.unitCode, await tokenFor.unit(other.unitCode), body), 409, 'already_exists');
    expect(await listProviders(tenant.unitCode, adminToken)).toHaveLength(1);
    expect(await listProviders(other.unitCode, await tokenFor.unit(other.unitCode))).toEqual([]);
  });

  it('refuses inline keys the verifier could not use: a short RSA key, or a key for another algorithm', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const pair = (await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const { kty, n, e } = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
    const shortKey = { kty, n, e, kid: 'short' };
    const short = await expectProblem(await register(tenant.unitCode, token, await providerBody({ jwks: { keys: [shortKey] }, algorithms: ['RS256'] })), 400, 'validation_failed');
    expect(short.errors?.[0]?.pointer).toBe('/body/jwks/keys/0');
    const ecKeys = (await providerBody()).jwks;
    const mismatch = await expectProblem(await register(tenant.unitCode, token, await providerBody({ jwks: ecKeys, algorithms: ['RS256'] })), 400, 'validation_failed');
    expect(mismatch.errors?.[0]?.pointer).toBe('/body/jwks/keys/0');
  });

  it("refuses the platform's own issuers, which a unit could never use", async () => {
    const { tenant, adminToken, body } = await unitWithProvider();
    for (const issuer of [env.AUTH_ISSUER, env.TOKEN_ISSUER]) {
      const problem = await expectProblem(await register(tenant.unitCode, adminToken, { ...body, issuer }), 400, 'validation_failed');
      expect(problem.errors?.[0]?.pointer).toBe('/body/issuer');
    }
  });

  it("answers another unit's administrator 404 on every operation on the unit's providers, and changes nothing", async () => {
    const { tenant, adminToken, registered, providerPath } = await unitWithProvider();
    const other = await createTestTenant();
    const outsider = await tokenFor.unit(other.unitCode);

    // The collection of a unit the caller cannot see is not found, like any of its objects.
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/identity-providers`, { token: outsider }), 404, 'not_found');
    await expectProblem(await register(tenant.unitCode, outsider, await providerBody()), 404, 'not_found');
    await expectProblem(await api(providerPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: outsider, body: { audience: 'hijacked' } }), 404, 'not_found');
    await expectProblem(await api(providerPath, { method: 'DELETE', headers: { 'If-Match': '*' }, token: outsider }), 404, 'not_found');
    // Naming the provider under the outsider's own unit finds nothing either.
    const underOwnUnit = `/v1/units/${other.unitCode}/identity-providers/${registered.id}`;
    await expectProblem(await api(underOwnUnit, { method: 'PATCH', headers: { 'If-Match': '*' }, token: outsider, body: { audience: 'hijacked' } }), 404, 'not_found');
    await expectProblem(await api(underOwnUnit, { method: 'DELETE', headers: { 'If-Match': '*' }, token: outsider }), 404, 'not_found');

    expect(await listProviders(tenant.unitCode, adminToken)).toEqual([registered]);
  });

  it.each([
    ['a station officer', (unitCode: string, stationCode: string) => tokenFor.station(unitCode, stationCode)],
    ['a district supervisor', (unitCode: string, _station: string, districtCode: string) => tokenFor.district(unitCode, districtCode)],
    ['an auditor', (unitCode: string) => signToken({ roles: ['auditor'], unit: unitCode })],
  ])('forbids %s every operation on identity providers (403)', async (_caller, tokenOf) => {
    const { tenant, providerPath } = await unitWithProvider();
    const token = await tokenOf(tenant.unitCode, tenant.stationCodes[0], tenant.districtCodes[0]);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/identity-providers`, { token }), 403, 'forbidden');
    await expectProblem(await register(tenant.unitCode, token, await providerBody()), 403, 'forbidden');
    await expectProblem(await api(providerPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { audience: 'x' } }), 403, 'forbidden');
    await expectProblem(await api(providerPath, { method: 'DELETE', headers: { 'If-Match': '*' }, token }), 403, 'forbidden');
  });

  it("lets the administrators its own provider signs in manage it, but not that provider's officers", async () => {
    const tenant = await createTestTenant();
    const identity = newProviderIdentity();
    const key = await newProviderKey('ES256');
    await publishKeys(identity.name, [key]);
    const registered = await parseResponse(
      registerIdentityProviderRoute,
      201,
      await register(tenant.unitCode, await tokenFor.unit(tenant.unitCode), { issuer: identity.issuer, audience: identity.audience, jwksUri: identity.jwksUri, algorithms: ['ES256'] }),
    );
    const officer = await providerToken(key, { roles: ['station_house_officer'], station: tenant.stationCodes[0] }, identity);
    await expectProblem(
      await api(`/v1/units/${tenant.unitCode}/identity-providers/${registered.id}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: officer, body: { algorithms: ['ES256', 'RS256'] } }),
      403,
      'forbidden',
    );
    // Its unit administrator may.
    const admin = await providerToken(key, { roles: ['unit_admin'] }, identity);
    expect(await listProviders(tenant.unitCode, admin)).toEqual([registered]);
  });

  it('records every change on the unit audit trail', async () => {
    const { tenant, adminToken, body, registered, providerPath } = await unitWithProvider();
    await parseResponse(updateIdentityProviderRoute, 200, await api(providerPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { audience: 'officers-api', acceptIdTokens: true } }));
    // Refused requests leave no trace.
    await expectProblem(await register(tenant.unitCode, adminToken, body), 409, 'already_exists');
    await expectProblem(await api(providerPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]), body: { audience: 'x' } }), 403, 'forbidden');
    expect((await api(providerPath, { method: 'DELETE', headers: { 'If-Match': '*' }, token: adminToken })).status).toBe(204);
    await expectProblem(await api(providerPath, { method: 'DELETE', headers: { 'If-Match': '*' }, token: adminToken }), 404, 'not_found');

    const trail = (await auditTrail(tenant.unitCode, adminToken)).filter((event) => event.target.type === 'identity_provider');
    expect(trail.map((event) => [event.action, event.target.id])).toEqual([
      ['identity_provider.registered', registered.id],
      ['identity_provider.updated', registered.id],
      ['identity_provider.removed', registered.id],
    ]);
    expect(trail[0]!.changes).toMatchObject({ issuer: body.issuer, audience: body.audience, algorithms: ['ES256'], acceptIdTokens: false });
    expect(trail[1]!.changes).toMatchObject({ audience: 'officers-api', acceptIdTokens: true });
    for (const event of trail) expect(event.actor).toMatchObject({ roles: ['unit_admin'], subject: 'officer-1' });
  });
});
