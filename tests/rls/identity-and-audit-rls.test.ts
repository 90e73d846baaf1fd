import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTenantRunner } from '../../src/db/tenant-runner.js';
import { appConfig } from '../support/config.js';
import { createTestTenant } from '../support/tenants.js';
import { api } from '../support/api.js';
import { tokenFor } from '../support/tokens.js';

/** The identity and audit tables, as the app role through the real runner. */
describe('row-level security on identity and audit tables', () => {
  it('the app role can neither change nor delete audit events, nor touch the chain heads', async () => {
    const tenant = await createTestTenant();
    const admin = await tokenFor.unit(tenant.unitCode);
    expect((await api(`/v1/units/${tenant.unitCode}/districts`, { method: 'POST', token: admin, body: { code: `${tenant.unitCode}-EAST`, name: 'East' } })).status).toBe(201);
    const runner = createTenantRunner(appConfig(), { level: 'unit', unitCode: tenant.unitCode });
    await expect(runner.batch((db) => [db.execute(sql`update audit_events set action = 'forged'`)])).rejects.toMatchObject({ code: '42501' });
    await expect(runner.batch((db) => [db.execute(sql`delete from audit_events`)])).rejects.toMatchObject({ code: '42501' });
    await expect(runner.batch((db) => [db.execute(sql`select * from audit_chain_heads`)])).rejects.toMatchObject({ code: '42501' });
    await expect(runner.batch((db) => [db.execute(sql`select * from idempotency_records`)])).rejects.toMatchObject({ code: '42501' });
  });

  it('district and station contexts see no identity providers, clients or audit events, even of their own unit', async () => {
    const tenant = await createTestTenant();
    const admin = await tokenFor.unit(tenant.unitCode);
    expect((await api(`/v1/units/${tenant.unitCode}/clients`, { method: 'POST', token: admin, body: { name: 'Register', scopes: ['tenancy:read'] } })).status).toBe(201);
    const count = sql`select (select count(*) from identity_providers)::int + (select count(*) from integration_clients)::int + (select count(*) from audit_events)::int as visible`;
    for (const scope of [
      { level: 'district' as const, unitCode: tenant.unitCode, districtCode: tenant.districtCodes[0] },
      { level: 'station' as const, unitCode: tenant.unitCode, stationCode: tenant.stationCodes[0] },
    ]) {
      const [{ rows }] = await createTenantRunner(appConfig(), scope).batch((db) => [db.execute<{ visible: number }>(count)]);
      expect(rows[0]?.visible, scope.level).toBe(0);
    }
    const [{ rows }] = await createTenantRunner(appConfig(), { level: 'unit', unitCode: tenant.unitCode }).batch((db) => [db.execute<{ visible: number }>(count)]);
    expect(rows[0]?.visible).toBeGreaterThanOrEqual(2);
  });
});
