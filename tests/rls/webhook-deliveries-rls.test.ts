import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { units } from '../../src/db/schema.js';
import { createTenantRunner } from '../../src/db/tenant-runner.js';
import { reportTestCase } from '../support/cases.js';
import { testNow } from '../support/clock.js';
import { appConfig } from '../support/config.js';
import { deliverUntil, owner, subscribedUnit } from '../webhooks/delivery-support.js';

type Scope = Parameters<typeof createTenantRunner>[1];

/** The delivery log names the unit's events and receivers: only the unit's own unit-level context may read it. */
describe('row-level security on webhook deliveries and their attempts', () => {
  it('shows a unit its own deliveries and attempts only, and district, station and platform contexts none', async () => {
    const { tenant, subscription } = await subscribedUnit(['case.reported'], 'fail');
    const other = await subscribedUnit(['case.reported'], 'fail');
    await reportTestCase(tenant);
    await deliverUntil(subscription.id, testNow, (deliveries) => deliveries[0]?.attempts === 1);
    const count = sql`select (select count(*)::int from webhook_deliveries) as deliveries, (select count(*)::int from webhook_delivery_attempts) as attempts`;
    const visibleTo = async (scope: Scope) => (await createTenantRunner(appConfig(), scope).batch((db) => [db.execute<{ deliveries: number; attempts: number }>(count)]))[0].rows[0];
    expect(await visibleTo({ level: 'unit', unitCode: tenant.unitCode })).toEqual({ deliveries: 1, attempts: 1 });
    expect(await visibleTo({ level: 'unit', unitCode: other.tenant.unitCode })).toEqual({ deliveries: 0, attempts: 0 });
    expect(await visibleTo({ level: 'district', unitCode: tenant.unitCode, districtCode: tenant.districtCodes[0] })).toEqual({ deliveries: 0, attempts: 0 });
    expect(await visibleTo({ level: 'station', unitCode: tenant.unitCode, stationCode: tenant.stationCodes[0] })).toEqual({ deliveries: 0, attempts: 0 });
    expect(await visibleTo({ level: 'platform' })).toEqual({ deliveries: 0, attempts: 0 });
  });

  it('refuses the app role a delivery queued in another unit, any attempt it would log, and any delete', async () => {
    const { tenant, subscription } = await subscribedUnit(['case.reported'], 'fail');
    const other = await subscribedUnit(['case.reported'], 'fail');
    await reportTestCase(other.tenant);
    const [otherDelivery] = await deliverUntil(other.subscription.id, testNow, (deliveries) => deliveries.length === 1);
    const [otherUnit] = await owner().select({ id: units.id }).from(units).where(eq(units.code, other.tenant.unitCode));
    const runner = createTenantRunner(appConfig(), { level: 'unit', unitCode: tenant.unitCode });
    const planted = sql`insert into webhook_deliveries (unit_id, subscription_id, event_id) values (${otherUnit!.id}, ${subscription.id}, ${otherDelivery!.eventId})`;
    await expect(runner.batch((db) => [db.execute(planted)])).rejects.toMatchObject({ code: '42501' });
    const attempt = sql`insert into webhook_delivery_attempts (unit_id, delivery_id, subscription_id, event_id, attempt_number, attempted_at, outcome, duration_ms)
      values (${otherUnit!.id}, ${otherDelivery!.id}, ${other.subscription.id}, ${otherDelivery!.eventId}, 99, now(), 'delivered', 1)`;
    await expect(runner.batch((db) => [db.execute(attempt)])).rejects.toMatchObject({ code: '42501' });
    await expect(runner.batch((db) => [db.execute(sql`delete from webhook_deliveries`)])).rejects.toMatchObject({ code: '42501' });
    const requeued = await runner.batch((db) => [db.execute(sql`update webhook_deliveries set status = 'pending' where id = ${otherDelivery!.id} returning id`)]);
    expect(requeued[0].rows).toEqual([]);
  });
});
