import { describe, expect, it } from 'vitest';
import { createDistrictRoute } from '../../src/routes/districts/create-district.js';
import { api, expectProblem } from '../support/api.js';
import { auditTrail } from '../support/audit.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant } from '../support/tenants.js';
import { signToken, tokenFor } from '../support/tokens.js';

function createDistrict(unitCode: string, token: string, body: unknown, key?: string) {
  return api(`/v1/units/${unitCode}/districts`, { method: 'POST', token, body, headers: key ? { 'Idempotency-Key': key } : {} });
}

async function districtCodes(unitCode: string, token: string): Promise<string[]> {
  const response = await api(`/v1/units/${unitCode}/districts?limit=200`, { token });
  return ((await response.json()) as { data: Array<{ code: string }> }).data.map((district) => district.code);
}

describe('Idempotency-Key on creates', () => {
  it('replays the first response to a retry, and changes nothing twice', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const body = { code: `${tenant.unitCode}-EAST`, name: 'East', kind: 'district' };
    const key = crypto.randomUUID();
    const first = await parseResponse(createDistrictRoute, 201, await createDistrict(tenant.unitCode, token, body, key));
    const retry = await parseResponse(createDistrictRoute, 201, await createDistrict(tenant.unitCode, token, body, key));
    expect(retry).toEqual(first);
    expect((await districtCodes(tenant.unitCode, token)).filter((code) => code === body.code)).toHaveLength(1);
    const created = (await auditTrail(tenant.unitCode, token)).filter((event) => event.action === 'district.created');
    expect(created).toHaveLength(1);
  });

  it('refuses the same key with another body (422)', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const key = crypto.randomUUID();
    expect((await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-EAST`, name: 'East' }, key)).status).toBe(201);
    await expectProblem(await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-WEST`, name: 'West' }, key), 422, 'idempotency_key_reused');
    expect(await districtCodes(tenant.unitCode, token)).not.toContain(`${tenant.unitCode}-WEST`);
  });

  it('creates exactly one object from 20 parallel identical requests', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const body = { code: `${tenant.unitCode}-PARALLEL`, name: 'Parallel' };
    const key = crypto.randomUUID();
    const responses = await Promise.all(Array.from({ length: 20 }, () => createDistrict(tenant.unitCode, token, body, key)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.every((status) => status === 201 || status === 409), statuses.join(',')).toBe(true);
    expect(statuses).toContain(201);
    const bodies = await Promise.all(responses.filter((response) => response.status === 201).map((response) => response.json()));
    expect(new Set(bodies.map((created) => JSON.stringify(created))).size).toBe(1);
    for (const response of responses.filter((response) => response.status === 409)) {
      expect(((await response.json()) as { code: string }).code).toBe('idempotency_key_in_use');
    }
    expect((await districtCodes(tenant.unitCode, token)).filter((code) => code === body.code)).toHaveLength(1);
  });

  it('keeps keys per caller and per tenancy', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const key = crypto.randomUUID();
    const alice = await signToken({ sub: 'admin-alice', roles: ['unit_admin'], unit: tenant.unitCode });
    const bob = await signToken({ sub: 'admin-bob', roles: ['unit_admin'], unit: tenant.unitCode });
    expect((await createDistrict(tenant.unitCode, alice, { code: `${tenant.unitCode}-ALICE`, name: 'A' }, key)).status).toBe(201);
    expect((await createDistrict(tenant.unitCode, bob, { code: `${tenant.unitCode}-BOB`, name: 'B' }, key)).status).toBe(201);
    const aliceElsewhere = await signToken({ sub: 'admin-alice', roles: ['unit_admin'], unit: other.unitCode });
    await expectProblem(await createDistrict(other.unitCode, aliceElsewhere, { code: `${other.unitCode}-ALICE`, name: 'A' }, key), 422, 'idempotency_key_reused');
  });

  it('does not use the key up when nothing changed (404): the retry runs again', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const key = crypto.randomUUID();
    const body = { code: `${tenant.unitCode}-LATER-A`, name: 'Later', districtCode: `${tenant.unitCode}-LATER` };
    const createStation = () => api(`/v1/units/${tenant.unitCode}/stations`, { method: 'POST', token, body, headers: { 'Idempotency-Key': key } });
    await expectProblem(await createStation(), 404, 'not_found');
    expect((await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-LATER`, name: 'Later' })).status).toBe(201);
    expect((await createStation()).status).toBe(201);
    expect((await createStation()).status).toBe(201);
  });

  it('refuses a malformed key', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const problem = await expectProblem(await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-X`, name: 'X' }, 'has spaces in it'), 400, 'validation_failed');
    expect(problem.errors?.[0]?.pointer).toBe('/header/idempotency-key');
  });
});
