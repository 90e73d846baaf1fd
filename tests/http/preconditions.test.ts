import { describe, expect, it } from 'vitest';
import { updateDistrictRoute } from '../../src/routes/districts/update-district.js';
import { api, expectProblem } from '../support/api.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

function rename(unitCode: string, districtCode: string, token: string, name: string, ifMatch?: string) {
  return api(`/v1/units/${unitCode}/districts/${districtCode}`, { method: 'PATCH', token, body: { name }, headers: ifMatch ? { 'If-Match': ifMatch } : {} });
}

describe('ETag and If-Match on updates', () => {
  it('requires If-Match (428), accepts the current ETag, and refuses a stale one (412)', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const district = tenant.districtCodes[0];
    await expectProblem(await rename(tenant.unitCode, district, token, 'No precondition'), 428, 'precondition_required');
    const first = await rename(tenant.unitCode, district, token, 'First', '"v1"');
    expect(first.headers.get('etag')).toBe('"v2"');
    expect((await parseResponse(updateDistrictRoute, 200, first)).name).toBe('First');
    await expectProblem(await rename(tenant.unitCode, district, token, 'Stale', '"v1"'), 412, 'precondition_failed');
    const weak = await rename(tenant.unitCode, district, token, 'Second', 'W/"v2"');
    expect(weak.status).toBe(200);
    await expectProblem(await rename(tenant.unitCode, district, token, 'Bad', 'v2'), 400, 'validation_failed');
    expect((await rename(tenant.unitCode, district, token, 'Listed', '"v9", "v3"')).status).toBe(200);
    await expectProblem(await rename(tenant.unitCode, `${tenant.unitCode}-NOWHERE`, token, 'Ghost', '"v1"'), 404, 'not_found');
  });

  it('lets exactly one of two racing updates with the same ETag win', async () => {
    const tenant = await createTestTenant();
    const token = await tokenFor.unit(tenant.unitCode);
    const district = tenant.districtCodes[1];
    const responses = await Promise.all(['Racer A', 'Racer B', 'Racer C', 'Racer D'].map((name) => rename(tenant.unitCode, district, token, name, '"v1"')));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412]);
    const winner = await responses.find((response) => response.status === 200)!.json() as { name: string; version: number };
    const listed = (await (await api(`/v1/units/${tenant.unitCode}/districts`, { token })).json()) as { data: Array<{ code: string; name: string; version: number }> };
    expect(listed.data.find((entry) => entry.code === district)).toMatchObject({ name: winner.name, version: 2 });
  });
});
