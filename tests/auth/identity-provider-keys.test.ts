import { env } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { getIdentityProviderStatusRoute } from '../../src/routes/identity-providers/get-identity-provider-status.js';
import { listIdentityProvidersRoute } from '../../src/routes/identity-providers/list-identity-providers.js';
import { registerIdentityProviderRoute } from '../../src/routes/identity-providers/register-identity-provider.js';
import { updateIdentityProviderRoute } from '../../src/routes/identity-providers/update-identity-provider.js';
import { listStations } from '../../src/routes/stations/list-stations.js';
import { createUnitRoute } from '../../src/routes/units/create-unit.js';
import { api, expectProblem } from '../support/api.js';
import { auditTrail } from '../support/audit.js';
import { parseResponse } from '../support/contract.js';
import {
  discoverableIssuer,
  newProviderIdentity,
  newProviderKey,
  newUnitCode,
  providerToken,
  publishDiscoveryDocument,
  publishKeys,
  withdrawKeys,
  type ProviderKey,
} from '../support/identity.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

/**
 * Where a unit's provider keeps its keys: found through the issuer's discovery document
 * (tests/jwks-host.ts serves one per published key set), looked at before a registration or a
 * change is saved, and reported by GET …/status.
 */

/** A provider on the loopback host: its issuer is discoverable, its keys published under its name. */
async function discoverableProvider(keys?: ProviderKey[]) {
  const identity = newProviderIdentity();
  const key = await newProviderKey('ES256');
  await publishKeys(identity.name, keys ?? [key]);
  return { ...identity, issuer: discoverableIssuer(identity.name), key };
}

async function unitAdmin() {
  const tenant = await createTestTenant();
  return { tenant, adminToken: await tokenFor.unit(tenant.unitCode), collection: `/v1/units/${tenant.unitCode}/identity-providers` };
}

/** Registers a provider through the API (201 expected); by its issuer alone unless the body says more. */
async function registerProvider(collection: string, adminToken: string, body: Record<string, unknown>) {
  return parseResponse(registerIdentityProviderRoute, 201, await api(collection, { method: 'POST', token: adminToken, body }));
}

async function stationsSeenBy(token: string) {
  return (await parseResponse(listStations, 200, await api('/v1/stations?limit=200', { token }))).data.length;
}

async function providersOf(collection: string, token: string) {
  return (await parseResponse(listIdentityProvidersRoute, 200, await api(collection, { token }))).data;
}

async function expectUnusable(response: Response, pointer: string, detail: string) {
  const problem = await expectProblem(response, 422, 'key_set_unusable');
  expect(problem.errors).toEqual([{ pointer, detail: expect.stringContaining(detail) }]);
  return problem;
}

describe('registering an identity provider by its issuer', () => {
  it('reads the discovery document, takes its jwks_uri and algorithms, and verifies the tokens', async () => {
    const { tenant, adminToken, collection } = await unitAdmin();
    const provider = await discoverableProvider();
    const registered = await registerProvider(collection, adminToken, { issuer: provider.issuer, audience: provider.audience });
    expect(registered).toMatchObject({ issuer: provider.issuer, jwksUri: provider.jwksUri, jwks: null, algorithms: ['ES256'], issuerDiscovery: true, audienceClaim: 'aud' });
    const token = await providerToken(provider.key, { roles: ['unit_admin'] }, provider);
    expect(await stationsSeenBy(token)).toBe(tenant.stationCodes.length);

    const audited = (await auditTrail(tenant.unitCode, adminToken)).find((event) => event.target.id === registered.id);
    expect(audited?.changes).toMatchObject({ issuerDiscovery: true, jwksUri: provider.jwksUri, keyCheck: { outcome: 'usable', kids: [provider.key.kid] } });
  });

  it('keeps algorithms given beside the issuer, and refuses when the document names none this API accepts', async () => {
    const { adminToken, collection } = await unitAdmin();
    const provider = await discoverableProvider();
    await publishDiscoveryDocument(provider.name, { issuer: provider.issuer, jwks_uri: provider.jwksUri, id_token_signing_alg_values_supported: ['HS256', 'none'] });
    const register = (body: Record<string, unknown>) => api(collection, { method: 'POST', token: adminToken, body: { issuer: provider.issuer, audience: provider.audience, ...body } });
    await expectUnusable(await register({}), '/body/algorithms', 'names no signing algorithm');
    // Algorithms the keys cannot verify are the algorithms' fault.
    await expectUnusable(await register({ algorithms: ['RS256'] }), '/body/algorithms', 'can verify RS256');
    expect(await providersOf(collection, adminToken)).toEqual([]);
    const registered = await parseResponse(registerIdentityProviderRoute, 201, await register({ algorithms: ['ES256'] }));
    expect(registered).toMatchObject({ algorithms: ['ES256'], jwksUri: provider.jwksUri, issuerDiscovery: true });
  });

  it('refuses, saving nothing, a document that names another issuer, answers badly or points its keys somewhere unsafe', async () => {
    const { adminToken, collection } = await unitAdmin();
    const register = (issuer: string) => api(collection, { method: 'POST', token: adminToken, body: { issuer, audience: 'sextortion-sop-api' } });

    const impostor = await discoverableProvider();
    for (const named of [`${impostor.issuer}/`, 'https://login.microsoftonline.com/common/v2.0', impostor.issuer.toUpperCase()]) {
      await publishDiscoveryDocument(impostor.name, { issuer: named, jwks_uri: impostor.jwksUri, id_token_signing_alg_values_supported: ['ES256'] });
      await expectUnusable(await register(impostor.issuer), '/body/issuer', 'must match exactly');
    }
    // Nothing published under this name: the document answers 404.
    await expectUnusable(await register(discoverableIssuer(newProviderIdentity().name)), '/body/issuer', 'answered 404');
    await expectUnusable(await register('http://127.0.0.1:9/realms/officers'), '/body/issuer', 'could not be read');

    const pointsInside = await discoverableProvider();
    await publishDiscoveryDocument(pointsInside.name, { issuer: pointsInside.issuer, jwks_uri: 'https://10.0.0.8/certs', id_token_signing_alg_values_supported: ['ES256'] });
    await expectUnusable(await register(pointsInside.issuer), '/body/issuer', "jwks_uri must name a public host");
    const noKeys = await discoverableProvider();
    await publishDiscoveryDocument(noKeys.name, { issuer: noKeys.issuer, id_token_signing_alg_values_supported: ['ES256'] });
    await expectUnusable(await register(noKeys.issuer), '/body/issuer', 'no jwks_uri');

    // An issuer that cannot be fetched at all is a malformed registration, not a provider's fault.
    const plainHttp = await expectProblem(await register('http://login.mahapolice.example/realms/officers'), 400, 'validation_failed');
    expect(plainHttp.errors).toEqual([{ pointer: '/body/issuer', detail: expect.stringContaining('https') }]);
    expect(await providersOf(collection, adminToken)).toEqual([]);
  });

  it('onboards a unit whose provider is given by its issuer, and onboards nothing when its keys cannot be used', async () => {
    const provider = await discoverableProvider();
    const onboard = async (identityProvider: Record<string, unknown>) =>
      api('/v1/units', { method: 'POST', token: await tokenFor.platform(), body: { code: newUnitCode(), name: 'Goa Police Cyber Cell', identityProvider } });
    const onboarded = await parseResponse(createUnitRoute, 201, await onboard({ issuer: provider.issuer, audience: provider.audience }));
    expect(onboarded.identityProvider).toMatchObject({ issuer: provider.issuer, jwksUri: provider.jwksUri, algorithms: ['ES256'], issuerDiscovery: true });

    const code = newUnitCode();
    const refused = await api('/v1/units', {
      method: 'POST',
      token: await tokenFor.platform(),
      body: { code, name: 'Goa Police Cyber Cell', identityProvider: { issuer: discoverableIssuer(newProviderIdentity().name), audience: 'sop' } },
    });
    await expectUnusable(refused, '/body/identityProvider/issuer', 'answered 404');
    await expectProblem(await api(`/v1/units/${code}`, { token: await tokenFor.platform() }), 404, 'not_found');
  });
});

describe("looking at a provider's keys before saving them", () => {
  it('refuses a jwksUri that answers no usable key set: the discovery document, a 404, a closed port, keys for other algorithms', async () => {
    const { adminToken, collection } = await unitAdmin();
    const provider = await discoverableProvider();
    const rsaOnly = newProviderIdentity();
    await publishKeys(rsaOnly.name, [await newProviderKey('RS256')]);
    const register = (jwksUri: string) =>
      api(collection, { method: 'POST', token: adminToken, body: { issuer: newProviderIdentity().issuer, audience: 'sop', jwksUri, algorithms: ['ES256'] } });

    await expectUnusable(await register(`${provider.issuer}/.well-known/openid-configuration`), '/body/jwksUri', 'not a JSON Web Key Set');
    await expectUnusable(await register(`${env.TEST_JWKS_HOST}/jwks/${newProviderIdentity().name}`), '/body/jwksUri', 'answered 404');
    await expectUnusable(await register('http://127.0.0.1:9/jwks'), '/body/jwksUri', 'could not be fetched');
    await expectUnusable(await register(rsaOnly.jwksUri), '/body/jwksUri', 'none of the 1 key(s) in the set can verify ES256');
    expect(await providersOf(collection, adminToken)).toEqual([]);
  });

  it('looks again at every change of keys or algorithms, saves nothing it refuses, and can rediscover the keys', async () => {
    const { tenant, adminToken, collection } = await unitAdmin();
    const provider = await discoverableProvider();
    const registered = await registerProvider(collection, adminToken, { issuer: provider.issuer, audience: provider.audience });
    const path = `${collection}/${registered.id}`;
    const patch = (body: Record<string, unknown>) => api(path, { method: 'PATCH', token: adminToken, headers: { 'If-Match': '*' }, body });

    await expectUnusable(await patch({ algorithms: ['PS256'] }), '/body/algorithms', 'can verify PS256');
    await expectUnusable(await patch({ jwksUri: `${env.TEST_JWKS_HOST}/jwks/${newProviderIdentity().name}` }), '/body/jwksUri', 'answered 404');
    const unusableInline = await expectProblem(await patch({ jwks: { keys: [(await newProviderKey('RS256')).publicJwk] } }), 400, 'validation_failed');
    expect(unusableInline.errors).toEqual([{ pointer: '/body/jwks/keys/0', detail: expect.stringContaining('cannot verify ES256') }]);
    expect(await providersOf(collection, adminToken)).toEqual([registered]);

    // The provider moves its keys and says so in its discovery document.
    const moved = newProviderIdentity();
    const newKey = await newProviderKey('ES384');
    await publishKeys(moved.name, [newKey]);
    await publishDiscoveryDocument(provider.name, { issuer: provider.issuer, jwks_uri: moved.jwksUri, id_token_signing_alg_values_supported: ['ES384'] });
    const given = await parseResponse(updateIdentityProviderRoute, 200, await patch({ jwksUri: provider.jwksUri }));
    expect(given).toMatchObject({ jwksUri: provider.jwksUri, issuerDiscovery: false });
    const rediscovered = await parseResponse(updateIdentityProviderRoute, 200, await patch({ issuerDiscovery: true }));
    expect(rediscovered).toMatchObject({ jwksUri: moved.jwksUri, algorithms: ['ES384'], issuerDiscovery: true });
    expect(await stationsSeenBy(await providerToken(newKey, { roles: ['unit_admin'] }, provider))).toBe(tenant.stationCodes.length);

    const both = await expectProblem(await patch({ issuerDiscovery: true, jwksUri: moved.jwksUri }), 400, 'validation_failed');
    expect(both.errors?.map((error) => error.pointer)).toEqual(['/body/issuerDiscovery']);
    // A change that leaves keys and algorithms alone fetches nothing.
    await withdrawKeys(moved.name);
    expect(await parseResponse(updateIdentityProviderRoute, 200, await patch({ rolesClaim: 'groups' }))).toMatchObject({ rolesClaim: 'groups' });
  });
});

describe('GET …/identity-providers/{providerId}/status', () => {
  it('reports the key set as it is now and as it was at the last change, without changing anything', async () => {
    const { adminToken, collection } = await unitAdmin();
    const { alg: _alg, ...encryption } = { ...(await newProviderKey('RS256')).publicJwk, use: 'enc', kid: 'enc-1' };
    const provider = await discoverableProvider();
    await publishKeys(provider.name, [provider.key, { ...provider.key, publicJwk: encryption }]);
    const registered = await registerProvider(collection, adminToken, { issuer: provider.issuer, audience: provider.audience });
    const status = async () => parseResponse(getIdentityProviderStatusRoute, 200, await api(`${collection}/${registered.id}/status`, { token: adminToken }));
    const keyInUse = { kid: provider.key.kid, kty: 'EC', crv: 'P-256', alg: 'ES256', algorithms: ['ES256'] };

    const healthy = await status();
    expect(healthy).toMatchObject({ id: registered.id, issuer: provider.issuer, issuerDiscovery: true, algorithms: ['ES256'] });
    expect(healthy.lastFetch).toMatchObject({ source: 'jwks_uri', jwksUri: provider.jwksUri, outcome: 'usable', detail: null, keys: [keyInUse], keysIgnored: 1 });
    expect(healthy.atLastChange).toMatchObject({ outcome: 'usable', keys: [keyInUse] });

    await withdrawKeys(provider.name);
    const broken = await status();
    expect(broken.lastFetch).toMatchObject({ outcome: 'unreachable', detail: 'the key set answered 404', keys: [] });
    expect(broken.atLastChange).toEqual(healthy.atLastChange);
    expect(await providersOf(collection, adminToken)).toEqual([registered]);
  });

  it('reports an inline key set without fetching anything', async () => {
    const { adminToken, collection } = await unitAdmin();
    const key = await newProviderKey('EdDSA');
    const registered = await registerProvider(collection, adminToken, { issuer: newProviderIdentity().issuer, audience: 'sop', jwks: { keys: [key.publicJwk] }, algorithms: ['EdDSA'] });
    const status = await parseResponse(getIdentityProviderStatusRoute, 200, await api(`${collection}/${registered.id}/status`, { token: adminToken }));
    expect(status.lastFetch).toMatchObject({ source: 'inline', jwksUri: null, outcome: 'usable', keys: [{ kid: key.kid, kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', algorithms: ['EdDSA'] }] });
    await expectProblem(await api(`${collection}/${crypto.randomUUID()}/status`, { token: adminToken }), 404, 'not_found');
  });
});

describe('the audience in client_id (Amazon Cognito access tokens)', () => {
  it('takes the audience from client_id when the provider is registered so, and from aud otherwise', async () => {
    const { tenant, adminToken, collection } = await unitAdmin();
    const provider = await discoverableProvider();
    const clientId = '4l0rd3cl13nt1d5xy7qz9k2m1';
    const registered = await registerProvider(collection, adminToken, { issuer: provider.issuer, audience: clientId, audienceClaim: 'client_id', rolesClaim: 'cognito:groups' });
    expect(registered).toMatchObject({ audienceClaim: 'client_id', audience: clientId });
    const cognitoAccessToken = (claims: Record<string, unknown>) =>
      new SignJWT({ 'cognito:groups': ['unit_admin'], token_use: 'access', scope: 'openid', username: 'ravi.k', ...claims })
        .setProtectedHeader({ alg: 'ES256', kid: provider.key.kid })
        .setIssuer(provider.issuer)
        .setSubject(crypto.randomUUID())
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(provider.key.privateKey);
    const refusedFor = async (token: string) => (await expectProblem(await api('/v1/stations', { token }), 401, 'unauthorized')).detail;

    expect(await stationsSeenBy(await cognitoAccessToken({ client_id: clientId }))).toBe(tenant.stationCodes.length);
    expect(await refusedFor(await cognitoAccessToken({ client_id: 'another-app-client' }))).toContain('client_id');
    expect(await refusedFor(await cognitoAccessToken({ aud: clientId }))).toContain('client_id');

    const patched = await api(`${collection}/${registered.id}`, { method: 'PATCH', token: adminToken, headers: { 'If-Match': '*' }, body: { audienceClaim: 'aud' } });
    expect(await parseResponse(updateIdentityProviderRoute, 200, patched)).toMatchObject({ audienceClaim: 'aud' });
    expect(await refusedFor(await cognitoAccessToken({ client_id: clientId }))).toContain('aud');
  });
});
