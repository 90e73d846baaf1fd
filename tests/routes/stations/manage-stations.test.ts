import { z } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { paginationSchema } from '../../../src/http/cursor.js';
import { stationSchema } from '../../../src/routes/stations/station-schema.js';
import { api, expectProblem } from '../../support/api.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

const pageSchema = z.object({ data: z.array(stationSchema), pagination: paginationSchema }).strict();

async function visibleStations(token: string) {
  const response = await api('/v1/stations?limit=200', { token });
  expect(response.status).toBe(200);
  return pageSchema.parse(await response.json()).data;
}

async function createStation(tenant: TestTenant, body: Record<string, unknown>) {
  const response = await api(`/v1/units/${tenant.unitCode}/stations`, { method: 'POST', token: await tokenFor.unit(tenant.unitCode), body });
  expect(response.status).toBe(201);
  return stationSchema.strict().parse(await response.json());
}

/** The unit's stations as its own administrator sees them: the yardstick for "unchanged". */
async function stationsOf(tenant: TestTenant) {
  return (await visibleStations(await tokenFor.unit(tenant.unitCode))).map(({ code, name, isCyberCrimeStation }) => ({ code, name, isCyberCrimeStation }));
}

const fixtureStations = (tenant: TestTenant) =>
  [...tenant.stationCodes].sort().map((code) => ({ code, name: `Station ${code}`, isCyberCrimeStation: code.endsWith('-CYBER') }));

describe('POST /v1/units/{unitCode}/stations', () => {
  it('lets a unit administrator add a station to one of its districts', async () => {
    const tenant = await createTestTenant();
    const code = `${tenant.districtCodes[1]}-KOTHRUD`;
    const station = await createStation(tenant, { code, name: ' Kothrud Police Station ', districtCode: tenant.districtCodes[1] });
    expect(station).toEqual({
      code,
      name: 'Kothrud Police Station',
      isCyberCrimeStation: false,
      unitCode: tenant.unitCode,
      district: { code: tenant.districtCodes[1], name: `District ${tenant.districtCodes[1]}` },
      version: 1,
    });
    const cyber = await createStation(tenant, { code: `${tenant.districtCodes[0]}-CYBER`, name: 'Cyber PS', districtCode: tenant.districtCodes[0], isCyberCrimeStation: true });
    expect(cyber.isCyberCrimeStation).toBe(true);
  });

  it('shows the new station in GET /v1/stations to its unit, its district and its own officers only', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const code = `${tenant.districtCodes[0]}-NEW`;
    await createStation(tenant, { code, name: 'New Police Station', districtCode: tenant.districtCodes[0] });

    const seenBy = async (token: string) => (await visibleStations(token)).map((station) => station.code);
    expect(await seenBy(await tokenFor.unit(tenant.unitCode))).toEqual([...tenant.stationCodes, code].sort());
    expect(await seenBy(await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]))).toEqual([...tenant.stationCodes.slice(0, 2), code].sort());
    expect(await seenBy(await tokenFor.station(tenant.unitCode, code))).toEqual([code]);
    expect(await seenBy(await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]))).not.toContain(code);
    expect(await seenBy(await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]))).toEqual([tenant.stationCodes[0]]);
    expect(await seenBy(await tokenFor.unit(other.unitCode))).not.toContain(code);
  });

  it('rejects a code that does not nest under the named district, pointing at /body/code', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    for (const code of [`${tenant.districtCodes[1]}-WRONG`, `${tenant.unitCode}-LOOSE`, tenant.districtCodes[0]]) {
      const response = await api(`/v1/units/${tenant.unitCode}/stations`, { method: 'POST', token, body: { code, name: 'Misplaced', districtCode: tenant.districtCodes[0] } });
      const problem = await expectProblem(response, 400, 'validation_failed');
      expect(problem.errors?.map((error) => error.pointer)).toEqual(['/body/code']);
    }
    const missing = await api(`/v1/units/${tenant.unitCode}/stations`, { method: 'POST', token, body: { code: `${tenant.districtCodes[0]}-X`, name: 'No district' } });
    expect((await expectProblem(missing, 400, 'validation_failed')).errors?.map((error) => error.pointer)).toEqual(['/body/districtCode']);
    expect(await stationsOf(tenant)).toEqual(fixtureStations(tenant));
  });

  it('answers 409 for a code that already exists, and keeps the original', async () => {
    const tenant = await createTestTenant();
    const response = await api(`/v1/units/${tenant.unitCode}/stations`, {
      method: 'POST',
      token: await tokenFor.unit(tenant.unitCode),
      body: { code: tenant.stationCodes[0], name: 'Duplicate', districtCode: tenant.districtCodes[0], isCyberCrimeStation: true },
    });
    await expectProblem(response, 409, 'already_exists');
    expect(await stationsOf(tenant)).toEqual(fixtureStations(tenant));
  });

  it('answers 404 for a district the unit does not have, including another unit\'s', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    for (const districtCode of [`${tenant.unitCode}-NOWHERE`, other.districtCodes[0]]) {
      const response = await api(`/v1/units/${tenant.unitCode}/stations`, { method: 'POST', token, body: { code: `${districtCode}-NEW`, name: 'Orphan', districtCode } });
      await expectProblem(response, 404, 'not_found');
    }
    expect(await stationsOf(tenant)).toEqual(fixtureStations(tenant));
    expect(await stationsOf(other)).toEqual(fixtureStations(other));
  });

  it("answers another unit's administrator 404, never 403, and plants nothing in that unit", async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const response = await api(`/v1/units/${tenant.unitCode}/stations`, {
      method: 'POST',
      token: await tokenFor.unit(other.unitCode),
      body: { code: `${tenant.districtCodes[0]}-PLANTED`, name: 'Planted', districtCode: tenant.districtCodes[0] },
    });
    await expectProblem(response, 404, 'not_found');
    expect(await stationsOf(tenant)).toEqual(fixtureStations(tenant));
  });

  it('refuses station officers, district supervisors, auditors and the platform administrator with 403', async () => {
    const tenant = await createTestTenant();
    const callers = [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await signToken({ roles: ['auditor'], unit: tenant.unitCode }),
      await tokenFor.platform(),
    ];
    for (const token of callers) {
      const response = await api(`/v1/units/${tenant.unitCode}/stations`, {
        method: 'POST',
        token,
        body: { code: `${tenant.districtCodes[0]}-NEW`, name: 'Not allowed', districtCode: tenant.districtCodes[0] },
      });
      await expectProblem(response, 403, 'forbidden');
    }
    expect(await stationsOf(tenant)).toEqual(fixtureStations(tenant));
  });
});

describe('PATCH /v1/units/{unitCode}/stations/{stationCode}', () => {
  it('renames a station and marks it a cyber crime police station, keeping its code and district', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const path = `/v1/units/${tenant.unitCode}/stations/${tenant.stationCodes[2]}`;
    const renamed = await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: 'Renamed Station' } });
    expect(renamed.status).toBe(200);
    expect(stationSchema.strict().parse(await renamed.json())).toEqual({
      code: tenant.stationCodes[2],
      name: 'Renamed Station',
      isCyberCrimeStation: false,
      unitCode: tenant.unitCode,
      district: { code: tenant.districtCodes[1], name: `District ${tenant.districtCodes[1]}` },
      version: 2,
    });
    expect(renamed.headers.get('etag')).toBe('"v2"');
    const marked = await api(path, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { isCyberCrimeStation: true } });
    expect(marked.status).toBe(200);
    expect(stationSchema.strict().parse(await marked.json())).toMatchObject({ name: 'Renamed Station', isCyberCrimeStation: true });
    const unmarked = await api(`/v1/units/${tenant.unitCode}/stations/${tenant.stationCodes[3]}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { isCyberCrimeStation: false } });
    expect(stationSchema.strict().parse(await unmarked.json()).isCyberCrimeStation).toBe(false);

    const seenByOfficer = await visibleStations(await tokenFor.station(tenant.unitCode, tenant.stationCodes[2]));
    expect(seenByOfficer).toEqual([expect.objectContaining({ code: tenant.stationCodes[2], name: 'Renamed Station', isCyberCrimeStation: true })]);
  });

  it('rejects an empty change, and answers 404 for a station the unit does not have', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    await expectProblem(await api(`/v1/units/${tenant.unitCode}/stations/${tenant.stationCodes[0]}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: {} }), 400, 'validation_failed');
    await expectProblem(
      await api(`/v1/units/${tenant.unitCode}/stations/${tenant.districtCodes[0]}-NOWHERE`, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: 'Ghost' } }),
      404,
      'not_found',
    );
    await expectProblem(
      await api(`/v1/units/${tenant.unitCode}/stations/${other.stationCodes[0]}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: 'Hijacked' } }),
      404,
      'not_found',
    );
    expect(await stationsOf(tenant)).toEqual(fixtureStations(tenant));
    expect(await stationsOf(other)).toEqual(fixtureStations(other));
  });

  it("answers another unit's administrator 404 and leaves the station as it was", async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const response = await api(`/v1/units/${tenant.unitCode}/stations/${tenant.stationCodes[0]}`, {
      method: 'PATCH',
      headers: { 'If-Match': '*' },
      token: await tokenFor.unit(other.unitCode),
      body: { name: 'Renamed from outside', isCyberCrimeStation: true },
    });
    await expectProblem(response, 404, 'not_found');
    expect(await stationsOf(tenant)).toEqual(fixtureStations(tenant));
  });

  it("refuses the station's own officers, its district supervisor and auditors with 403", async () => {
    const tenant = await createTestTenant();
    const callers = [
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]),
      await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'station_house_officer'),
      await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]),
      await signToken({ roles: ['auditor'], unit: tenant.unitCode }),
    ];
    for (const token of callers) {
      const response = await api(`/v1/units/${tenant.unitCode}/stations/${tenant.stationCodes[0]}`, { method: 'PATCH', headers: { 'If-Match': '*' }, token, body: { name: 'Not allowed' } });
      await expectProblem(response, 403, 'forbidden');
    }
    expect(await stationsOf(tenant)).toEqual(fixtureStations(tenant));
  });
});
