import { describe, expect, it } from 'vitest';
import { stationSchema } from '../../../src/routes/stations/station-schema.js';
import { z } from '@hono/zod-openapi';
import { paginationSchema } from '../../../src/http/cursor.js';
import { api, expectProblem } from '../../support/api.js';
import { createTestTenant } from '../../support/tenants.js';
import { signToken, tokenFor } from '../../support/tokens.js';

const pageSchema = z.object({ data: z.array(stationSchema), pagination: paginationSchema }).strict();

async function listStations(token: string, query = '') {
  const response = await api(`/v1/stations${query}`, { token });
  expect(response.status).toBe(200);
  return pageSchema.parse(await response.json());
}

describe('GET /v1/stations', () => {
  it('shows a station officer their own station only', async () => {
    const tenant = await createTestTenant();
    const page = await listStations(await tokenFor.station(tenant.unitCode, tenant.stationCodes[1]));
    expect(page.data.map((station) => station.code)).toEqual([tenant.stationCodes[1]]);
    expect(page.data[0]).toMatchObject({ unitCode: tenant.unitCode, district: { code: tenant.districtCodes[0] } });
    expect(page.pagination).toEqual({ nextCursor: null, hasMore: false });
  });

  it('shows a district supervisor the stations of the district', async () => {
    const tenant = await createTestTenant();
    const page = await listStations(await tokenFor.district(tenant.unitCode, tenant.districtCodes[1]));
    expect(page.data.map((station) => station.code)).toEqual([tenant.stationCodes[2], tenant.stationCodes[3]]);
    expect(page.data.map((station) => station.isCyberCrimeStation)).toEqual([false, true]);
  });

  it('shows a unit administrator every station of the unit and none of another unit', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const page = await listStations(await tokenFor.unit(tenant.unitCode));
    expect(page.data.map((station) => station.code)).toEqual([...tenant.stationCodes].sort());
    expect(page.data.some((station) => station.unitCode === other.unitCode)).toBe(false);
  });

  it('filters by district within what the caller may see', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const token = await tokenFor.unit(tenant.unitCode);
    expect((await listStations(token, `?district=${tenant.districtCodes[0]}`)).data).toHaveLength(2);
    expect((await listStations(token, `?district=${other.districtCodes[0]}`)).data).toEqual([]);
  });

  it('pages with an opaque cursor until the last page', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const seen: string[] = [];
    let query = '?limit=3';
    for (;;) {
      const page = await listStations(token, query);
      seen.push(...page.data.map((station) => station.code));
      if (!page.pagination.hasMore) {
        expect(page.pagination.nextCursor).toBeNull();
        break;
      }
      query = `?limit=3&cursor=${page.pagination.nextCursor}`;
    }
    expect(seen).toEqual([...tenant.stationCodes].sort());
  });

  it('lists the demo Pune City commissionerate: 32 stations and its cyber police station', async () => {
    const page = await listStations(await tokenFor.district('MH', 'MH-PUNE'), '?limit=200');
    expect(page.data).toHaveLength(33);
    expect(page.data.filter((station) => station.isCyberCrimeStation).map((station) => station.code)).toEqual(['MH-PUNE-CYBER']);
    expect(page.data.map((station) => station.name)).toContain('Shivajinagar Police Station');
  });

  it('rejects a bad page size and a forged cursor with field-level problems', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const tooLarge = await expectProblem(await api('/v1/stations?limit=1000', { token }), 400, 'validation_failed');
    expect(tooLarge.errors).toEqual([expect.objectContaining({ pointer: '/query/limit' })]);
    const forged = await expectProblem(await api('/v1/stations?cursor=bm90LWpzb24', { token }), 400, 'invalid_cursor');
    expect(forged.errors?.[0]?.pointer).toBe('/query/cursor');
    await expectProblem(await api('/v1/stations?district=lower-case', { token }), 400, 'validation_failed');
  });

  it('refuses callers without a valid token', async () => {
    const missing = await api('/v1/stations');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    await expectProblem(missing, 401, 'unauthorized');
    await expectProblem(await api('/v1/stations', { token: 'not.a.token' }), 401, 'unauthorized');
    await expectProblem(await api('/v1/stations', { headers: { Authorization: 'Basic dXNlcjpwYXNz' } }), 401, 'unauthorized');
  });

  it('answers 403 when the token names a station that does not exist or belongs to another unit', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    await expectProblem(await api('/v1/stations', { token: await tokenFor.station(tenant.unitCode, `${tenant.unitCode}-NOWHERE`) }), 403, 'unknown_tenancy');
    await expectProblem(await api('/v1/stations', { token: await tokenFor.station(tenant.unitCode, other.stationCodes[0]) }), 403, 'unknown_tenancy');
    await expectProblem(await api('/v1/stations', { token: await tokenFor.district(tenant.unitCode, other.districtCodes[0]) }), 403, 'unknown_tenancy');
  });

  it('refuses a station role whose token carries no station', async () => {
    const tenant = await createTestTenant();
    const token = await signToken({ roles: ['duty_officer'], unit: tenant.unitCode });
    await expectProblem(await api('/v1/stations', { token }), 401, 'unauthorized');
  });
});
