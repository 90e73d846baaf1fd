import { describe, expect, it } from 'vitest';
import { api, expectProblem } from '../support/api.js';
import { createTestTenant } from '../support/tenants.js';
import { signToken, tokenFor } from '../support/tokens.js';

describe('GET /v1/me', () => {
  it('tells a station officer their roles, permissions and station', async () => {
    const tenant = await createTestTenant();
    const response = await api('/v1/me', { token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]!, 'duty_officer') });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('private, no-store');
    const caller = (await response.json()) as { permissions: string[] };
    expect(caller).toMatchObject({ roles: ['duty_officer'], level: 'station', unitCode: tenant.unitCode, districtCode: null, stationCode: tenant.stationCodes[0], clientId: null });
    expect(caller.permissions).toEqual(['cases:read', 'cases:report', 'cases:work', 'personal:read', 'tenancy:read']);
  });

  it('tells a district supervisor their district, and a platform administrator no unit', async () => {
    const tenant = await createTestTenant();
    const district = await (await api('/v1/me', { token: await tokenFor.district(tenant.unitCode, tenant.districtCodes[0]!) })).json();
    expect(district).toMatchObject({ roles: ['district_supervisor'], level: 'district', unitCode: tenant.unitCode, districtCode: tenant.districtCodes[0], stationCode: null });
    const platform = await (await api('/v1/me', { token: await tokenFor.platform() })).json();
    expect(platform).toMatchObject({ roles: ['platform_admin'], level: 'platform', unitCode: null });
  });

  it('refuses a request without a valid token', async () => {
    await expectProblem(await api('/v1/me'), 401, 'unauthorized');
    await expectProblem(await api('/v1/me', { token: await signToken({ roles: ['duty_officer'] }) }), 401, 'unauthorized');
  });
});
