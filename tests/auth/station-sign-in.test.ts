import { describe, expect, it } from 'vitest';
import { listIdentityProvidersRoute } from '../../src/routes/identity-providers/list-identity-providers.js';
import { registerIdentityProviderRoute } from '../../src/routes/identity-providers/register-identity-provider.js';
import { updateIdentityProviderRoute } from '../../src/routes/identity-providers/update-identity-provider.js';
import { listSignInOptionsRoute } from '../../src/routes/sign-in/list-sign-in-options.js';
import { api, expectProblem } from '../support/api.js';
import { auditTrail } from '../support/audit.js';
import { parseResponse } from '../support/contract.js';
import { newProviderIdentity, newProviderKey } from '../support/identity.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

/** A unit of its own, its administrator, and a way to register providers with inline keys. */
async function unitAdministration() {
  const tenant = await createTestTenant();
  const adminToken = await tokenFor.unit(tenant.unitCode);
  const register = async (extra: Record<string, unknown> = {}) => {
    const provider = newProviderIdentity();
    const key = await newProviderKey('ES256');
    return api(`/v1/units/${tenant.unitCode}/identity-providers`, {
      method: 'POST',
      token: adminToken,
      body: { issuer: provider.issuer, audience: provider.audience, jwks: { keys: [key.publicJwk] }, algorithms: ['ES256'], ...extra },
    });
  };
  const registered = async (extra: Record<string, unknown> = {}) => parseResponse(registerIdentityProviderRoute, 201, await register(extra));
  const update = (providerId: string, body: unknown) =>
    api(`/v1/units/${tenant.unitCode}/identity-providers/${providerId}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body });
  const listed = async () =>
    (await parseResponse(listIdentityProvidersRoute, 200, await api(`/v1/units/${tenant.unitCode}/identity-providers`, { token: adminToken }))).data;
  return { tenant, adminToken, register, registered, update, listed };
}

/** GET /v1/sign-in as the station app asks it, before anyone has signed in; only the given units' entries. */
async function signInOptionsOf(...unitCodes: string[]) {
  const response = await api('/v1/sign-in');
  expect(response.headers.get('cache-control')).toBe('public, max-age=300');
  const { data } = await parseResponse(listSignInOptionsRoute, 200, response);
  return data.filter((option) => unitCodes.includes(option.unitCode));
}

describe("a provider's station sign-in", () => {
  it('is stored and answered as registered, with the scope defaulted, and the registration audits it', async () => {
    const { tenant, adminToken, registered, listed } = await unitAdministration();
    const provider = await registered({ stationSignIn: { clientId: 'sop-station-app', resource: 'sextortion-sop-api' } });
    expect(provider.stationSignIn).toEqual({ clientId: 'sop-station-app', scope: 'openid', resource: 'sextortion-sop-api' });
    expect(await listed()).toEqual([provider]);

    const plain = await registered();
    expect(plain.stationSignIn).toBeNull();

    const audited = (await auditTrail(tenant.unitCode, adminToken)).filter((event) => event.action === 'identity_provider.registered');
    expect(audited.find((event) => event.target.id === provider.id)?.changes).toMatchObject({
      stationSignIn: { clientId: 'sop-station-app', scope: 'openid', resource: 'sextortion-sop-api' },
    });
    expect(audited.find((event) => event.target.id === plain.id)?.changes).toMatchObject({ stationSignIn: null });
  });

  it('is set, replaced and cleared by PATCH, each change audited, other settings untouched', async () => {
    const { tenant, adminToken, registered, update, listed } = await unitAdministration();
    const provider = await registered();
    const set = await parseResponse(updateIdentityProviderRoute, 200, await update(provider.id, { stationSignIn: { clientId: 'station-app', scope: 'openid profile' } }));
    expect(set).toMatchObject({ stationSignIn: { clientId: 'station-app', scope: 'openid profile', resource: null }, audience: provider.audience, version: provider.version + 1 });

    const unrelated = await parseResponse(updateIdentityProviderRoute, 200, await update(provider.id, { acceptIdTokens: true }));
    expect(unrelated.stationSignIn).toEqual(set.stationSignIn);

    const cleared = await parseResponse(updateIdentityProviderRoute, 200, await update(provider.id, { stationSignIn: null }));
    expect(cleared.stationSignIn).toBeNull();
    expect(await listed()).toEqual([cleared]);

    const updates = (await auditTrail(tenant.unitCode, adminToken)).filter((event) => event.action === 'identity_provider.updated').map((event) => event.changes);
    expect(updates).toEqual([
      expect.objectContaining({ stationSignIn: { clientId: 'station-app', scope: 'openid profile', resource: null } }),
      expect.not.objectContaining({ stationSignIn: expect.anything() }),
      expect.objectContaining({ stationSignIn: null }),
    ]);
  });

  it('refuses a malformed setting at its pointer and saves nothing', async () => {
    const { register, registered, update, listed } = await unitAdministration();
    const cases: Array<[unknown, string]> = [
      [{ clientId: '' }, '/body/stationSignIn/clientId'],
      [{ clientId: 'x'.repeat(201) }, '/body/stationSignIn/clientId'],
      [{ scope: 'openid' }, '/body/stationSignIn/clientId'],
      [{ clientId: 'station-app', redirectUri: 'https://api.example/app/' }, '/body/stationSignIn'],
      [{ clientId: 'station-app', scope: ['openid'] }, '/body/stationSignIn/scope'],
      [{ clientId: 'station-app', scope: 'openid  profile' }, '/body/stationSignIn/scope'],
      [{ clientId: 'station-app', scope: 'openid "profile"' }, '/body/stationSignIn/scope'],
      [{ clientId: 'station-app', resource: '' }, '/body/stationSignIn/resource'],
      ['station-app', '/body/stationSignIn'],
    ];
    for (const [stationSignIn, pointer] of cases) {
      const problem = await expectProblem(await register({ stationSignIn }), 400, 'validation_failed');
      expect(problem.errors, JSON.stringify(stationSignIn)).toEqual([expect.objectContaining({ pointer })]);
    }
    expect(await listed()).toEqual([]);

    const provider = await registered({ stationSignIn: { clientId: 'station-app' } });
    for (const [stationSignIn, pointer] of cases) {
      const problem = await expectProblem(await update(provider.id, { stationSignIn }), 400, 'validation_failed');
      expect(problem.errors, JSON.stringify(stationSignIn)).toEqual([expect.objectContaining({ pointer })]);
    }
    expect(await listed()).toEqual([provider]);
  });
});

describe('GET /v1/sign-in', () => {
  it('lists, without a token, every provider offered for the station app with its unit, by unit code, then issuer', async () => {
    const [first, second] = await Promise.all([unitAdministration(), unitAdministration()]);
    const offered = await Promise.all([
      first.registered({ stationSignIn: { clientId: 'app-one', scope: 'openid profile', resource: 'sextortion-sop-api' } }),
      first.registered({ stationSignIn: { clientId: 'app-two' } }),
      second.registered({ stationSignIn: { clientId: 'app-three' } }),
    ]);
    await first.registered();
    await second.registered();

    const options = await signInOptionsOf(first.tenant.unitCode, second.tenant.unitCode);
    const expected = offered
      .map((provider) => ({ unitCode: provider.unitCode, unitName: `Test unit ${provider.unitCode}`, issuer: provider.issuer, ...provider.stationSignIn! }))
      .sort((a, b) => (a.unitCode === b.unitCode ? (a.issuer < b.issuer ? -1 : 1) : a.unitCode < b.unitCode ? -1 : 1));
    expect(options).toEqual(expected);
    expect(options.find((option) => option.clientId === 'app-one')).toMatchObject({ scope: 'openid profile', resource: 'sextortion-sop-api' });
    expect(options.find((option) => option.clientId === 'app-two')).toMatchObject({ scope: 'openid', resource: null });

    // A token, even a bad one, changes nothing: nobody has signed in yet.
    const withBadToken = await parseResponse(listSignInOptionsRoute, 200, await api('/v1/sign-in', { token: 'eyJhbGciOiJub25lIn0.e30.' }));
    expect(withBadToken.data.filter((option) => option.unitCode === first.tenant.unitCode)).toHaveLength(2);
  });

  it('follows the registrations: a provider whose sign-in is cleared, or that is removed, is no longer offered', async () => {
    const { tenant, adminToken, registered, update } = await unitAdministration();
    const [kept, cleared, removed] = await Promise.all([
      registered({ stationSignIn: { clientId: 'kept' } }),
      registered({ stationSignIn: { clientId: 'cleared' } }),
      registered({ stationSignIn: { clientId: 'removed' } }),
    ]);
    expect((await signInOptionsOf(tenant.unitCode)).map((option) => option.clientId).sort()).toEqual(['cleared', 'kept', 'removed']);

    expect((await update(cleared.id, { stationSignIn: null })).status).toBe(200);
    const removal = await api(`/v1/units/${tenant.unitCode}/identity-providers/${removed.id}`, { method: 'DELETE', headers: { 'If-Match': '*' }, token: adminToken });
    expect(removal.status).toBe(204);
    expect(await signInOptionsOf(tenant.unitCode)).toEqual([
      { unitCode: tenant.unitCode, unitName: `Test unit ${tenant.unitCode}`, issuer: kept.issuer, clientId: 'kept', scope: 'openid', resource: null },
    ]);
  });
});
