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

  it('the platform context writes only into the unit it creates in the same transaction', async () => {
    const tenant = await createTestTenant();
    const platform = createTenantRunner(appConfig(), { level: 'platform' });
    const intoExisting = sql`insert into integration_clients (unit_id, client_id, name, secret_hash, roles)
      select id, ${`cli_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`}, 'Planted', 'x', '{unit_admin}' from units where code = ${tenant.unitCode}`;
    await expect(platform.batch((db) => [db.execute(intoExisting)])).rejects.toMatchObject({ code: '42501' });
    const plantedDistrict = sql`insert into districts (unit_id, code, name, kind) select id, ${`${tenant.unitCode}-PLANTED`}, 'Planted', 'district' from units where code = ${tenant.unitCode}`;
    await expect(platform.batch((db) => [db.execute(plantedDistrict)])).rejects.toMatchObject({ code: '42501' });
    const renamed = sql`update stations set name = 'Renamed by the platform' where code = ${tenant.stationCodes[0]} returning code`;
    const [{ rows }] = await platform.batch((db) => [db.execute(renamed)]);
    expect(rows).toEqual([]);
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
