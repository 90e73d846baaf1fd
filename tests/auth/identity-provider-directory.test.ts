import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { identityProviders, units } from '../../src/db/schema.js';
import { registerIdentityProviderRoute } from '../../src/routes/identity-providers/register-identity-provider.js';
import { listStations } from '../../src/routes/stations/list-stations.js';
import { listUnitsRoute } from '../../src/routes/units/list-units.js';
import { api, apiWithBindings, expectProblem } from '../support/api.js';
import { ownerConfig } from '../support/config.js';
import { parseResponse } from '../support/contract.js';
import { keySetFetches, newProviderIdentity, newProviderKey, providerToken, publishKeys } from '../support/identity.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

/**
 * Fetching a unit identity provider's key set (and the platform's AUTH_JWKS_URL): every fetch
 * goes through the outbound guard. The loopback JWKS host (tests/jwks-host.ts) serves the
 * published key set correctly at /jwks/<name> and badly at /redirect, /slow and /padded.
 */

/** A unit whose provider's keys are published on the loopback host and registered, through the API, at `jwksUri(name)`. */
async function providerServedAt(jwksUri: (name: string) => string) {
  const tenant = await createTestTenant();
  const identity = newProviderIdentity();
  const key = await newProviderKey('ES256');
  await publishKeys(identity.name, [key]);
  await parseResponse(registerIdentityProviderRoute, 201, await register(tenant.unitCode, identity, jwksUri(identity.name)));
  const token = await providerToken(key, { roles: ['unit_admin'] }, identity);
  return { tenant, identity, key, token };
}

async function register(unitCode: string, identity: ReturnType<typeof newProviderIdentity>, jwksUri: string) {
  return api(`/v1/units/${unitCode}/identity-providers`, {
    method: 'POST',
    token: await tokenFor.unit(unitCode),
    body: { issuer: identity.issuer, audience: identity.audience, jwksUri, algorithms: ['ES256'] },
  });
}

/**
 * A registration the API would refuse today, written as the owner as the table may hold it: from
 * before a rule changed, or a key set that has started to answer badly since it was registered.
 */
async function providerStoredAt(jwksUri: (name: string) => string) {
  const tenant = await createTestTenant();
  const identity = newProviderIdentity();
  const key = await newProviderKey('ES256');
  await publishKeys(identity.name, [key]);
  const db = openHttpDatabase(ownerConfig());
  const [unit] = await db.select({ id: units.id }).from(units).where(eq(units.code, tenant.unitCode));
  await db.insert(identityProviders).values({ unitId: unit!.id, issuer: identity.issuer, audience: identity.audience, jwksUri: jwksUri(identity.name), algorithms: ['ES256'] });
  const token = await providerToken(key, { roles: ['unit_admin'] }, identity);
  return { tenant, identity, key, token };
}

/** Registering at a key set served badly is refused, at the field, with nothing saved. */
async function expectRegistrationRefused(jwksUri: (name: string) => string, detail: string) {
  const tenant = await createTestTenant();
  const identity = newProviderIdentity();
  await publishKeys(identity.name, [await newProviderKey('ES256')]);
  const problem = await expectProblem(await register(tenant.unitCode, identity, jwksUri(identity.name)), 422, 'key_set_unusable');
  expect(problem.errors).toEqual([{ pointer: '/body/jwksUri', detail: expect.stringContaining(detail) }]);
  const listed = await api(`/v1/units/${tenant.unitCode}/identity-providers`, { token: await tokenFor.unit(tenant.unitCode) });
  expect(((await listed.json()) as { data: unknown[] }).data).toEqual([]);
  return identity;
}

const served = (path: string) => (name: string) => `${env.TEST_JWKS_HOST}/${path.replace('NAME', name)}`;

async function expectKeysUnavailable(response: Response) {
  expect(response.headers.get('retry-after')).toEqual(expect.any(String));
  await expectProblem(response, 503, 'dependency_unavailable');
}

describe("fetching an identity provider's key set", () => {
  it('verifies against a key set that answers at once, in full, within 64 KiB', async () => {
    const { tenant, token, identity } = await providerServedAt(served('padded/NAME?bytes=60000'));
    const page = await parseResponse(listStations, 200, await api('/v1/stations?limit=200', { token }));
    expect(page.data.map((station) => station.code)).toEqual([...tenant.stationCodes].sort());
    // Once to look at it when it was registered, once to verify.
    expect(await keySetFetches(identity.name)).toBe(2);
  });

  it('refuses a key set that redirects, and does not follow the redirect', async () => {
    const refused = await expectRegistrationRefused(served('redirect/NAME'), 'redirect');
    const { token, identity } = await providerStoredAt(served('redirect/NAME'));
    await expectKeysUnavailable(await api('/v1/stations', { token }));
    // The redirects pointed at the published key sets: they were never fetched.
    expect(await keySetFetches(refused.name)).toBe(0);
    expect(await keySetFetches(identity.name)).toBe(0);
  });

  it('refuses a key set larger than 64 KiB', async () => {
    await expectRegistrationRefused(served('padded/NAME?bytes=70000'), 'larger than 64 KiB');
    const { token } = await providerStoredAt(served('padded/NAME?bytes=70000'));
    await expectKeysUnavailable(await api('/v1/stations', { token }));
  });

  it('refuses a key set that takes longer than 3 s', async () => {
    await expectRegistrationRefused(served('slow/NAME'), 'within 3 s');
    const { token, identity } = await providerStoredAt(served('slow/NAME'));
    await expectKeysUnavailable(await api('/v1/stations', { token }));
    expect(await keySetFetches(identity.name)).toBe(1);
  });

  it('does not fetch from a registration stored before the rules refused it', async () => {
    // Credentials in the URL: refused at registration today (400), possibly stored before.
    const { token, identity } = await providerStoredAt((name) => served('jwks/NAME')(name).replace('http://', 'http://user:pass@'));
    await expectKeysUnavailable(await api('/v1/stations', { token }));
    expect(await keySetFetches(identity.name)).toBe(0);
  });

  it('does not fetch from loopback once the deployment no longer allows it', async () => {
    const { token, identity } = await providerServedAt(served('jwks/NAME'));
    const production = apiWithBindings({ ALLOW_LOOPBACK_JWKS: 'false' });
    await expectKeysUnavailable(await production('/v1/stations', { token }));
    // Only the look at registration.
    expect(await keySetFetches(identity.name)).toBe(1);
  });
});

describe("fetching the platform's key set (AUTH_JWKS_URL)", () => {
  /** The platform's public keys published on the loopback host, and an app that reads them from `path`. */
  async function platformServedAt(path: string) {
    const name = newProviderIdentity().name;
    const published = await fetch(`${env.TEST_JWKS_HOST}/jwks/${name}`, { method: 'PUT', body: env.AUTH_JWKS });
    expect(published.status).toBe(204);
    return { name, call: apiWithBindings({ AUTH_JWKS: undefined, AUTH_JWKS_URL: served(path)(name) }) };
  }

  it('verifies platform tokens against the fetched set', async () => {
    const { name, call } = await platformServedAt('jwks/NAME');
    await parseResponse(listUnitsRoute, 200, await call('/v1/units', { token: await tokenFor.platform() }));
    expect(await keySetFetches(name)).toBe(1);
  });

  it('refuses a set that redirects, without following it', async () => {
    const { name, call } = await platformServedAt('redirect/NAME');
    await expectKeysUnavailable(await call('/v1/units', { token: await tokenFor.platform() }));
    expect(await keySetFetches(name)).toBe(0);
  });

  it('is a configuration error when it names a private host', async () => {
    const call = apiWithBindings({ AUTH_JWKS: undefined, AUTH_JWKS_URL: 'https://10.0.0.1/jwks' });
    const problem = await expectProblem(await call('/v1/units', { token: await tokenFor.platform() }), 500, 'configuration_invalid');
    expect(problem.detail).toContain('AUTH_JWKS_URL: must name a public host: 10.0.0.1 is a private address');
  });
});
