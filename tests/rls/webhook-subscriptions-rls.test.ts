import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { units } from '../../src/db/schema.js';
import { createTenantRunner } from '../../src/db/tenant-runner.js';
import { api } from '../support/api.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { createTestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';

/** The signing secrets sit in this table as they are: only the unit's own unit-level context may see a row. */
describe('row-level security on webhook subscriptions', () => {
  it('shows a unit its own subscriptions only, and district, station and platform contexts none', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const body = { url: 'https://efir.example.gov.in/hooks/sop', scope: { level: 'unit' }, eventTypes: ['case.reported'] };
    expect((await api(`/v1/units/${tenant.unitCode}/webhooks`, { method: 'POST', token: await tokenFor.unit(tenant.unitCode), body })).status).toBe(201);
    const count = sql`select count(*)::int as visible from webhook_subscriptions`;
    const visibleTo = async (scope: Parameters<typeof createTenantRunner>[1]) =>
      (await createTenantRunner(appConfig(), scope).batch((db) => [db.execute<{ visible: number }>(count)]))[0].rows[0]?.visible;
    expect(await visibleTo({ level: 'unit', unitCode: tenant.unitCode })).toBe(1);
    expect(await visibleTo({ level: 'unit', unitCode: other.unitCode })).toBe(0);
    expect(await visibleTo({ level: 'district', unitCode: tenant.unitCode, districtCode: tenant.districtCodes[0] })).toBe(0);
    expect(await visibleTo({ level: 'station', unitCode: tenant.unitCode, stationCode: tenant.stationCodes[0] })).toBe(0);
    expect(await visibleTo({ level: 'platform' })).toBe(0);
  });

  it('refuses the app role a subscription planted in another unit, and any delete', async () => {
    const [tenant, other] = await Promise.all([createTestTenant(), createTestTenant()]);
    const [otherUnit] = await openHttpDatabase(ownerConfig()).select({ id: units.id }).from(units).where(eq(units.code, other.unitCode));
    const runner = createTenantRunner(appConfig(), { level: 'unit', unitCode: tenant.unitCode });
    const planted = sql`insert into webhook_subscriptions (unit_id, scope, url, event_types, secret)
      values (${otherUnit!.id}, 'unit', 'https://attacker.example.com/', '{case.reported}', 'whsec_x')`;
    await expect(runner.batch((db) => [db.execute(planted)])).rejects.toMatchObject({ code: '42501' });
    await expect(runner.batch((db) => [db.execute(sql`delete from webhook_subscriptions`)])).rejects.toMatchObject({ code: '42501' });
  });
});
