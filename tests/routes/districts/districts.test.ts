import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { paginationSchema } from '../../../src/http/cursor.js';
import { districtSchema } from '../../../src/routes/districts/district-schema.js';
import { api, expectProblem } from '../../support/api.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

const districtPageSchema = z.object({ data: z.array(districtSchema), pagination: paginationSchema }).strict();

async function createDistrict(unitCode: string, token: string, body: Record<string, unknown>) {
  const response = await api(`/v1/units/${unitCode}/districts`, { method: 'POST', token, body });
  expect(response.status).toBe(201);
  return districtSchema.strict().parse(await response.json());
}

async function listDistricts(unitCode: string, token: string) {
  const response = await api(`/v1/units/${unitCode}/districts?limit=200`, { token });
  expect(response.status).toBe(200);
  return districtPageSchema.parse(await response.json()).data;
}

/** The unit's districts as its own administrator sees them: the yardstick for "unchanged". */
async function districtsOf(tenant: TestTenant) {
  return (await listDistricts(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).map(({ code, name, kind }) => ({ code, name, kind }));
}

const fixtureDistricts = (tenant: TestTenant) => tenant.districtCodes.map((code) => ({ code, name: `District ${code}`, kind: 'district' }));

describe('POST /v1/units/{unitCode}/districts', () => {
  it('lets a unit administrator add a district and a commissionerate to its unit', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const district = await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-EAST`, name: ' East District ' });
    expect(district).toMatchObject({ code: `${tenant.unitCode}-EAST`, name: 'East District', kind: 'district', unitCode: tenant.unitCode });
    expect(district.updatedAt).toBe(district.createdAt);
    const commissionerate = await createDistrict(tenant.unitCode, token, { code: `${tenant.unitCode}-CITY`, name: 'City Police', kind: 'commissionerate' });
    expect(commissionerate.kind).toBe('commissionerate');
    expect((await listDistricts(tenant.unitCode, token)).map((row) => row.code)).toEqual(
      [...tenant.districtCodes, `${tenant.unitCode}-EAST`, `${tenant.unitCode}-CITY`].sort(),
    );
  });

  it('rejects a code that does not nest under the unit, pointing at /body/code', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    for (const code of [`${other.unitCode}-EAST`, tenant.unitCode, `${tenant.unitCode}X-EAST`, `X${tenant.unitCode}-EAST`]) {
      const response = await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token, body: { code, name: 'Misplaced' } });
      const problem = await expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/code']);
    }
    const lowerCase = await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token, body: { code: `${tenant.unitCode}-east`, name: 'Lower' } });
    expect((await expectProblem(lowerCase, 400, 'validation_failed')).errors?.map((error) => error.pointer)).toEqual(['/body/code']);
    const badKind = await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token, body: { code: `${tenant.unitCode}-EAST`, name: 'Odd', kind: 'county' } });
    expect((await expectProblem(badKind, 400, 'validation_failed')).errors?.map((error) => error.pointer)).toEqual(['/body/kind']);
    expect(await districtsOf(tenant)).toEqual(fixtureDistricts(tenant));
    expect(await districtsOf(other)).toEqual(fixtureDistricts(other));
  });

  it('answers 409 for a code the unit already has, and keeps the original', async () => {
    const tenant = await createTestTenant();
    const response = await api(`/v1/units/${tenant.unitCode}/districts`, {
      method: 'POST',
      token: await tokenFor.unit(tenant.unitCode),
      body: { code: tenant.districtCodes[0], name: 'Duplicate', kind: 'commissionerate' },
    });
    await expectProblem(response, 409, 'already_exists');
    expect(await districtsOf(tenant)).toEqual(fixtureDistricts(tenant));
  });

  it("answers another unit's administrator 404, never 403, and leaves that unit's districts as they were", async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const intruder = await tokenFor.unit(other.unitCode);
    for (const code of [`${tenant.unitCode}-PLANTED`, tenant.districtCodes[0]]) {
      const response = await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token: intruder, body: { code, name: 'Planted' } });
      await expectProblem(response, 404, 'not_found');
    }
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/districts`, { token: intruder }), 404, 'not_found');
    expect(await districtsOf(tenant)).toEqual(fixtureDistricts(tenant));
  });

  it('refuses station officers, district supervisors, auditors and the platform administrator with 403', async () => {
    const tenant = await createTestTenant();
    const callers = [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await signToken({ roles: ['auditor'], unit: tenant.unitCode }),
      await tokenFor.platform(),
    ];
    for (const token of callers) {
      const response = await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token, body: { code: `${tenant.unitCode}-EAST`, name: 'Not allowed' } });
      await expectProblem(response, 403, 'forbidden');
    }
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', body: { code: `${tenant.unitCode}-EAST`, name: 'Anonymous' } }), 401, 'unauthorized');
    expect(await districtsOf(tenant)).toEqual(fixtureDistricts(tenant));
  });
});

describe('PATCH /v1/units/{unitCode}/districts/{districtCode}', () => {
  it('renames a district and changes its kind, keeping its code', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const path = `/v1/units/${tenant.unitCode}/districts/${tenant.districtCodes[1]}`;
    const renamed = await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: 'Renamed District' } });
    expect(renamed.status).toBe(200);
    expect(districtSchema.strict().parse(await renamed.json())).toMatchObject({ code: tenant.districtCodes[1], name: 'Renamed District', kind: 'district', unitCode: tenant.unitCode });
    const rekinded = await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { kind: 'commissionerate' } });
    expect(rekinded.status).toBe(200);
    expect(districtSchema.strict().parse(await rekinded.json())).toMatchObject({ name: 'Renamed District', kind: 'commissionerate' });
    expect(await districtsOf(tenant)).toEqual([fixtureDistricts(tenant)[0], { code: tenant.districtCodes[1], name: 'Renamed District', kind: 'commissionerate' }]);
  });

  it('rejects an empty or unknown change', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const path = `/v1/units/${tenant.unitCode}/districts/${tenant.districtCodes[0]}`;
    await expectProblem(await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: {} }), 400, 'validation_failed');
    await expectProblem(await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { code: `${tenant.unitCode}-MOVED` } }), 400, 'validation_failed');
    const blank = await expectProblem(await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: '   ' } }), 400, 'validation_failed');
    expect(blank.errors?.map((error) => error.pointer)).toEqual(['/body/name']);
    expect(await districtsOf(tenant)).toEqual(fixtureDistricts(tenant));
  });

  it('answers 404 for a district the unit does not have', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/districts/${tenant.unitCode}-NOWHERE`, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: 'Ghost' } }), 404, 'not_found');
    // Another unit's district named under one's own unit path is still not one's own.
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/districts/${other.districtCodes[0]}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: 'Hijacked' } }), 404, 'not_found');
    expect(await districtsOf(other)).toEqual(fixtureDistricts(other));
  });

  it("answers another unit's administrator 404 and leaves the district as it was", async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const response = await api(`/v1/units/${tenant.unitCode}/districts/${tenant.districtCodes[0]}`, {
      method: 'PATCH',
      headers: { 'If-Match': '*' },
      token: await tokenFor.unit(other.unitCode),
      body: { name: 'Renamed from outside', kind: 'commissionerate' },
    });
    await expectProblem(response, 404, 'not_found');
    expect(await districtsOf(tenant)).toEqual(fixtureDistricts(tenant));
  });

  it('refuses station officers, district supervisors (even of that district) and auditors with 403', async () => {
    const tenant = await createTestTenant();
    const callers = [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await signToken({ roles: ['auditor'], unit: tenant.unitCode }),
      await tokenFor.platform(),
    ];
    for (const token of callers) {
      const response = await api(`/v1/units/${tenant.unitCode}/districts/${tenant.districtCodes[0]}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: 'Not allowed' } });
      await expectProblem(response, 403, 'forbidden');
    }
    expect(await districtsOf(tenant)).toEqual(fixtureDistricts(tenant));
  });
});

describe('GET /v1/units/{unitCode}/districts', () => {
  it('shows a district supervisor and a station officer their own district only', async () => {
    const tenant = await createTestTenant();
    const supervised = await listDistricts(tenant.unitCode, await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]));
    expect(supervised.map((district) => district.code)).toEqual([tenant.districtCodes[1]]);
    const stationView = await listDistricts(tenant.unitCode, await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]));
    expect(stationView.map((district) => district.code)).toEqual([tenant.districtCodes[0]]);
  });
});
