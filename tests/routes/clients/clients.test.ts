import { describe, expect, it } from 'vitest';
import { hashClientSecret } from '../../../src/auth/client-credentials.js';
import { createClientRoute } from '../../../src/routes/clients/create-client.js';
import { listClientsRoute } from '../../../src/routes/clients/list-clients.js';
import { revokePreviousClientSecretRoute } from '../../../src/routes/clients/revoke-previous-client-secret.js';
import { rotateClientSecretRoute } from '../../../src/routes/clients/rotate-client-secret.js';
import { updateClientRoute } from '../../../src/routes/clients/update-client.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { parseResponse } from '../../support/contract.js';
import { testNow } from '../../support/clock.js';
import { clientAccessToken, requestToken } from '../../support/identity.js';
import { createTestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

async function createClient(unitCode: string, token: string, body: Record<string, unknown> = {}) {
  const response = await api(`/v1/units/${unitCode}/clients`, { method: 'POST', token, body: { name: 'Pune City e-FIR register', scopes: ['tenancy:read'], ...body } });
  return parseResponse(createClientRoute, 201, response);
}

async function listClients(unitCode: string, token: string, query = '') {
  const response = await api(`/v1/units/${unitCode}/clients${query}`, { token });
  const text = await response.clone().text();
  return { page: await parseResponse(listClientsRoute, 200, response), text };
}

/** A unit of its own, its administrator, and one client. */
async function unitWithClient() {
  const tenant = await createTestTenant();
  const adminToken = await tokenFor.unit(tenant.unitCode);
  const created = await createClient(tenant.unitCode, adminToken);
  return { tenant, adminToken, created, clientPath: `/v1/units/${tenant.unitCode}/clients/${created.client.clientId}` };
}

describe('integration clients: /v1/units/{unitCode}/clients', () => {
  it('registers a client, shows its secret in that response only, and lists it without one', async () => {
    const { tenant, adminToken, created } = await unitWithClient();
    expect(created.client).toMatchObject({
      name: 'Pune City e-FIR register',
      roles: ['integration_client'],
      scopes: ['tenancy:read'],
      unitCode: tenant.unitCode,
      districtCode: null,
      stationCode: null,
      disabled: false,
    });
    expect(created.client.clientId).toMatch(/^cli_[a-z0-9]{20}$/);
    expect(created.clientSecret).toMatch(/^sec_[a-z2-7]{52}$/);

    const { page, text } = await listClients(tenant.unitCode, adminToken);
    expect(page.data).toEqual([created.client]);
    expect(page.pagination).toEqual({ nextCursor: null, hasMore: false });
    expect(text).not.toContain(created.clientSecret);
    expect(text).not.toContain(await hashClientSecret(created.clientSecret));
    expect(text.toLowerCase()).not.toContain('secret');
  });

  it('takes the roles a machine may hold and de-duplicates scopes, and refuses anything else', async () => {
    const tenant = await createTestTenant();
    const adminToken = await tokenFor.unit(tenant.unitCode);
    const auditor = await createClient(tenant.unitCode, adminToken, { roles: ['auditor'], scopes: ['audit:read', 'audit:read'] });
    expect(auditor.client).toMatchObject({ roles: ['auditor'], scopes: ['audit:read'] });

    const create = (body: Record<string, unknown>) => api(`/v1/units/${tenant.unitCode}/clients`, { method: 'POST', token: adminToken, body: { name: 'Register', ...body } });
    const pointers = async (body: Record<string, unknown>) => (await expectProblem(await create(body), 400, 'validation_failed')).errors?.map((error) => error.pointer);
    expect(await pointers({ roles: ['platform_admin'] })).toEqual(['/body/roles/0']);
    expect(await pointers({ roles: ['investigating_officer'] })).toEqual(['/body/roles/0']);
    expect(await pointers({ roles: [] })).toEqual(['/body/roles']);
    expect(await pointers({ scopes: ['units:create'] })).toEqual(['/body/scopes/0']);
    expect(await pointers({ districtCode: tenant.districtCodes[0], stationCode: tenant.stationCodes[0] })).toEqual(['/body/stationCode']);
    expect(await pointers({ clientSecret: 'sec_chosen' })).toEqual(expect.arrayContaining([expect.stringMatching(/^\/body/)]));
    expect(await pointers({ name: '   ' })).toEqual(['/body/name']);
  });

  it('places a client at a district or station of its own unit only', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const adminToken = await tokenFor.unit(tenant.unitCode);
    expect((await createClient(tenant.unitCode, adminToken, { stationCode: tenant.stationCodes[1] })).client).toMatchObject({
      stationCode: tenant.stationCodes[1],
      districtCode: null,
    });
    expect((await createClient(tenant.unitCode, adminToken, { districtCode: tenant.districtCodes[1] })).client).toMatchObject({
      districtCode: tenant.districtCodes[1],
      stationCode: null,
    });
    const create = (body: Record<string, unknown>) => api(`/v1/units/${tenant.unitCode}/clients`, { method: 'POST', token: adminToken, body: { name: 'Register', ...body } });
    await expectProblem(await create({ stationCode: other.stationCodes[0] }), 404, 'not_found');
    await expectProblem(await create({ districtCode: other.districtCodes[0] }), 404, 'not_found');
    await expectProblem(await create({ stationCode: `${tenant.districtCodes[0]}-NOWHERE` }), 404, 'not_found');
    expect((await listClients(tenant.unitCode, adminToken)).page.data).toHaveLength(2);
  });

  it('refuses audit:read for a client placed at a district or station: the trail is read at unit level', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const response = await api(`/v1/units/${tenant.unitCode}/clients`, {
      method: 'POST',
      token,
      body: { name: 'Station dashboard', scopes: ['tenancy:read', 'audit:read'], stationCode: tenant.stationCodes[0] },
    });
    expect((await expectProblem(response, 400, 'validation_failed')).errors?.[0]?.pointer).toBe('/body/scopes');
  });

  it('refuses to place a unit-wide role at a district or station, where the placement would not narrow it', async () => {
    const tenant = await createTestTenant();
    const adminToken = await tokenFor.unit(tenant.unitCode);
    const create = (body: Record<string, unknown>) => api(`/v1/units/${tenant.unitCode}/clients`, { method: 'POST', token: adminToken, body: { name: 'Register', ...body } });
    for (const roles of [['auditor'], ['unit_admin'], ['integration_client', 'auditor']]) {
      const atStation = await expectProblem(await create({ roles, scopes: ['tenancy:read'], stationCode: tenant.stationCodes[0] }), 400, 'validation_failed');
      expect(atStation.errors, roles.join()).toEqual([expect.objectContaining({ pointer: '/body/stationCode', detail: expect.stringContaining('integration_client') })]);
      const inDistrict = await expectProblem(await create({ roles, districtCode: tenant.districtCodes[0] }), 400, 'validation_failed');
      expect(inDistrict.errors, roles.join()).toEqual([expect.objectContaining({ pointer: '/body/districtCode' })]);
    }
    expect((await listClients(tenant.unitCode, adminToken)).page.data).toEqual([]);
  });

  it('renames, rescopes, disables and re-enables a client', async () => {
    const { tenant, adminToken, created, clientPath } = await unitWithClient();
    const patch = async (body: Record<string, unknown>) => parseResponse(updateClientRoute, 200, await api(clientPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body }));

    expect(await patch({ name: 'Renamed register', scopes: ['audit:read', 'tenancy:read', 'audit:read'] })).toMatchObject({
      clientId: created.client.clientId,
      name: 'Renamed register',
      scopes: ['audit:read', 'tenancy:read'],
      disabled: false,
    });
    expect(await patch({ disabled: true })).toMatchObject({ name: 'Renamed register', disabled: true });
    expect((await listClients(tenant.unitCode, adminToken)).page.data[0]).toMatchObject({ disabled: true });
    expect(await patch({ disabled: false })).toMatchObject({ disabled: false });
    expect(await patch({ scopes: [] })).toMatchObject({ scopes: [] });

    await expectProblem(await api(clientPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: {} }), 400, 'validation_failed');
    await expectProblem(await api(clientPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { roles: ['unit_admin'] } }), 400, 'validation_failed');
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/clients/cli_aaaaaaaaaaaaaaaaaaaa`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { name: 'X' } }), 404, 'not_found');
  });

  it('rotates the secret: the new one is shown in that response only', async () => {
    const { tenant, adminToken, created, clientPath } = await unitWithClient();
    const rotated = await parseResponse(rotateClientSecretRoute, 200, await api(`${clientPath}/secret`, { method: 'POST', token: adminToken }));
    expect(rotated.client).toMatchObject({ clientId: created.client.clientId, name: created.client.name });
    expect(rotated.clientSecret).toMatch(/^sec_[a-z2-7]{52}$/);
    expect(rotated.clientSecret).not.toBe(created.clientSecret);
    const { text } = await listClients(tenant.unitCode, adminToken);
    expect(text).not.toContain(rotated.clientSecret);
    expect(text).not.toContain(await hashClientSecret(rotated.clientSecret));
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/clients/cli_aaaaaaaaaaaaaaaaaaaa/secret`, { method: 'POST', token: adminToken }), 404, 'not_found');
  });

  it('keeps the replaced secret valid for the overlap (a day by default), shows until when, and ends it early on request', async () => {
    const { adminToken, created, clientPath } = await unitWithClient();
    const old = { clientId: created.client.clientId, clientSecret: created.clientSecret };
    const rotatedAt = testNow();
    const rotated = await parseResponse(rotateClientSecretRoute, 200, await api(`${clientPath}/secret`, { method: 'POST', token: adminToken, at: rotatedAt }));
    expect(rotated.client.rotationOverlapEndsAt).toBe(new Date(rotatedAt.getTime() + 24 * 3_600_000).toISOString());
    const fresh = { clientId: created.client.clientId, clientSecret: rotated.clientSecret };
    const at = (hours: number) => ({ 'X-Clock-Override': new Date(rotatedAt.getTime() + hours * 3_600_000).toISOString() });
    const grant = { grant_type: 'client_credentials' };
    expect((await requestToken(grant, old, at(23))).status).toBe(200);
    expect((await requestToken(grant, fresh, at(23))).status).toBe(200);
    expect((await requestToken(grant, old, at(25))).status).toBe(401);
    expect((await requestToken(grant, fresh, at(25))).status).toBe(200);
    expect((await listClients(created.client.unitCode, adminToken)).page.data[0]!.rotationOverlapEndsAt).toBe(rotated.client.rotationOverlapEndsAt);

    const revoked = await parseResponse(revokePreviousClientSecretRoute, 200, await api(`${clientPath}/secret/previous`, { method: 'DELETE', token: adminToken }));
    expect(revoked.rotationOverlapEndsAt).toBeNull();
    expect((await requestToken(grant, old, at(1))).status).toBe(401);
    expect((await requestToken(grant, fresh, at(1))).status).toBe(200);
    await expectProblem(await api(`/v1/units/${created.client.unitCode}/clients/cli_aaaaaaaaaaaaaaaaaaaa/secret/previous`, { method: 'DELETE', token: adminToken }), 404, 'not_found');
  });

  it('takes the overlap from the request: 0 ends the old secret at once, and a second rotation ends the first one\'s', async () => {
    const { adminToken, created, clientPath } = await unitWithClient();
    const grant = { grant_type: 'client_credentials' };
    const now = { 'X-Clock-Override': testNow().toISOString() };
    const first = await parseResponse(rotateClientSecretRoute, 200, await api(`${clientPath}/secret`, { method: 'POST', token: adminToken, body: { previousSecretValidForSeconds: 0 } }));
    expect(first.client.rotationOverlapEndsAt).toBeNull();
    expect((await requestToken(grant, { clientId: created.client.clientId, clientSecret: created.clientSecret }, now)).status).toBe(401);
    const second = await parseResponse(rotateClientSecretRoute, 200, await api(`${clientPath}/secret`, { method: 'POST', token: adminToken, body: { previousSecretValidForSeconds: 3600 } }));
    await parseResponse(rotateClientSecretRoute, 200, await api(`${clientPath}/secret`, { method: 'POST', token: adminToken }));
    expect((await requestToken(grant, { clientId: created.client.clientId, clientSecret: first.clientSecret }, now)).status).toBe(401);
    expect((await requestToken(grant, { clientId: created.client.clientId, clientSecret: second.clientSecret }, now)).status).toBe(200);
    for (const previousSecretValidForSeconds of [-1, 604801, 1.5]) {
      await expectProblem(await api(`${clientPath}/secret`, { method: 'POST', token: adminToken, body: { previousSecretValidForSeconds } }), 400, 'validation_failed');
    }
  });

  it('pages through the clients with an opaque cursor', async () => {
    const tenant = await createTestTenant();
    const adminToken = await tokenFor.unit(tenant.unitCode);
    const created = [];
    for (let index = 0; index < 5; index++) created.push((await createClient(tenant.unitCode, adminToken, { name: `Register ${index}` })).client.clientId);
    const seen: string[] = [];
    let query = '?limit=2';
    for (;;) {
      const { page } = await listClients(tenant.unitCode, adminToken, query);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((client) => client.clientId));
      if (!page.pagination.hasMore) break;
      query = `?limit=2&cursor=${page.pagination.nextCursor}`;
    }
    expect(seen).toEqual([...created].sort());
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/clients?cursor=bm90LWpzb24`, { token: adminToken }), 400, 'invalid_cursor');
  });

  it("answers another unit's administrator 404 on every operation on the unit's clients, and changes nothing", async () => {
    const { tenant, created, clientPath, adminToken } = await unitWithClient();
    const other = await createTestTenant();
    const outsider = await tokenFor.unit(other.unitCode);

    // The collection of a unit the caller cannot see is not found, like any of its objects.
    const foreignList = await api(`/v1/units/${tenant.unitCode}/clients`, { token: outsider });
    expect(await foreignList.clone().text()).not.toContain(created.client.clientId);
    await expectProblem(foreignList, 404, 'not_found');

    await expectProblem(await api(`/v1/units/${tenant.unitCode}/clients`, { method: 'POST', token: outsider, body: { name: 'Planted client', scopes: ['tenancy:read'] } }), 404, 'not_found');
    await expectProblem(await api(clientPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: outsider, body: { disabled: true } }), 404, 'not_found');
    await expectProblem(await api(`${clientPath}/secret`, { method: 'POST', token: outsider }), 404, 'not_found');
    // Even naming the client under the outsider's own unit finds nothing.
    await expectProblem(await api(`/v1/units/${other.unitCode}/clients/${created.client.clientId}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token: outsider, body: { disabled: true } }), 404, 'not_found');
    await expectProblem(await api(`/v1/units/${other.unitCode}/clients/${created.client.clientId}/secret`, { method: 'POST', token: outsider }), 404, 'not_found');

    expect((await listClients(tenant.unitCode, adminToken)).page.data).toEqual([created.client]);
    expect((await listClients(other.unitCode, outsider)).page.data).toEqual([]);
    expect(await clientAccessToken({ clientId: created.client.clientId, clientSecret: created.clientSecret })).toEqual(expect.any(String));
  });

  it.each([
    ['a station officer', (unitCode: string, stationCode: string) => tokenFor.station(unitCode, stationCode)],
    ['a station house officer', (unitCode: string, stationCode: string) => tokenFor.station(unitCode, stationCode, 'station_house_officer')],
    ['an auditor', (unitCode: string) => signToken({ roles: ['auditor'], unit: unitCode })],
  ])('forbids %s every operation on clients (403)', async (_caller, tokenOf) => {
    const { tenant, clientPath } = await unitWithClient();
    const token = await tokenOf(tenant.unitCode, tenant.stationCodes[0]);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/clients`, { token }), 403, 'forbidden');
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/clients`, { method: 'POST', token, body: { name: 'Register' } }), 403, 'forbidden');
    await expectProblem(await api(clientPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { disabled: true } }), 403, 'forbidden');
    await expectProblem(await api(`${clientPath}/secret`, { method: 'POST', token }), 403, 'forbidden');
  });

  it('records every change on the unit audit trail, and never a secret', async () => {
    const { tenant, adminToken, created, clientPath } = await unitWithClient();
    await parseResponse(updateClientRoute, 200, await api(clientPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { name: 'Renamed register' } }));
    const rotated = await parseResponse(rotateClientSecretRoute, 200, await api(`${clientPath}/secret`, { method: 'POST', token: adminToken }));
    // Using the client leaves no trace, and neither does a refused change.
    await clientAccessToken({ clientId: created.client.clientId, clientSecret: rotated.clientSecret });
    await expectProblem(await api(clientPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: await tokenFor.unit((await createTestTenant()).unitCode), body: { name: 'X' } }), 404, 'not_found');
    await parseResponse(updateClientRoute, 200, await api(clientPath, { method: 'PATCH', headers: { 'If-Match': '*' }, token: adminToken, body: { disabled: true } }));

    const trail = (await auditTrail(tenant.unitCode, adminToken)).filter((event) => event.target.type === 'client');
    expect(trail.map((event) => [event.action, event.target.id])).toEqual([
      ['client.created', created.client.clientId],
      ['client.updated', created.client.clientId],
      ['client.secret_rotated', created.client.clientId],
      ['client.updated', created.client.clientId],
    ]);
    expect(trail[0]!.changes).toMatchObject({ name: 'Pune City e-FIR register', scopes: ['tenancy:read'], roles: ['integration_client'] });
    expect(trail[1]!.changes).toEqual({ name: 'Renamed register' });
    expect(trail[2]!.changes).toEqual({ secret: 'rotated', previousSecretValidForSeconds: 86400 });
    expect(trail[3]!.changes).toEqual({ disabled: true });
    for (const event of trail) {
      expect(event.actor).toMatchObject({ roles: ['unit_admin'] });
      expect(event.requestId).toEqual(expect.any(String));
    }
    const everything = JSON.stringify(trail);
    for (const secret of [created.clientSecret, rotated.clientSecret]) {
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(await hashClientSecret(secret));
    }
  });
});
