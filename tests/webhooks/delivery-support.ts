import { and, eq, sql, type SQL } from 'drizzle-orm';
import { expect } from 'vitest';
import { openHttpDatabase } from '../../src/db/client.js';
import { integrationEvents, webhookDeliveries, webhookDeliveryAttempts } from '../../src/db/schema.js';
import { createWebhookRoute } from '../../src/routes/webhooks/create-webhook.js';
import { attemptDelivery, dispatchEvents } from '../../src/webhooks/delivery-work.js';
import { generateSigningSecret } from '../../src/webhooks/signing-secret.js';
import { api } from '../support/api.js';
import { intake } from '../support/cases.js';
import { testNow } from '../support/clock.js';
import { appConfig, ownerConfig } from '../support/config.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';
import type { ReceivedDelivery } from './webhook-receiver.js';
import { newReceiver, type ReceiverBehaviour } from './receivers.js';

const config = appConfig();
export const owner = () => openHttpDatabase(ownerConfig());
export const hoursAfter = (from: Date, hours: number) => new Date(from.getTime() + hours * 3_600_000);

/**
 * A day ahead of the tests' clock. A delivery is due from when its event occurred, and the queue's
 * consumer reads the real clock: events raised at this time are left to the test's own attempts,
 * which may move the clock on by days.
 */
export const aheadOfTheQueueConsumer = () => hoursAfter(testNow(), 24);

/** Reports a case at the tenant's first station, served at `at`. */
export async function reportCaseAt(tenant: TestTenant, at: Date) {
  const response = await api('/v1/cases', { method: 'POST', token: await tokenFor.station(tenant.unitCode, tenant.stationCodes[0], 'duty_officer'), body: intake(), at });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as { id: string };
}

export type Scope = { level: 'unit' } | { level: 'district'; districtCode: string } | { level: 'station'; stationCode: string };

export async function subscribe(tenant: TestTenant, url: string, eventTypes: string[], scope: Scope = { level: 'unit' }) {
  const response = await api(`/v1/units/${tenant.unitCode}/webhooks`, { method: 'POST', token: await tokenFor.unit(tenant.unitCode), body: { url, scope, eventTypes } });
  return parseResponse(createWebhookRoute, 201, response);
}

/** A unit with one subscription to a receiver on loopback that holds its secret. */
export async function subscribedUnit(eventTypes: string[], behaviour: ReceiverBehaviour = 'ok', scope: Scope = { level: 'unit' }) {
  const tenant = await createTestTenant();
  const receiver = await newReceiver(generateSigningSecret(), testNow());
  const created = await subscribe(tenant, receiver.url(behaviour), eventTypes, scope);
  await receiver.hold(created.secret, testNow());
  return { tenant, receiver, subscription: created.subscription, secret: created.secret };
}

/**
 * This subscription's part of the delivery work, as the minute sweep does it: every event
 * dispatched, then each of its due deliveries attempted at `at`. Only its own: other tests'
 * deliveries keep their own schedule.
 */
/**
 * Every event of the unit fanned out. Each write dispatches its own events after its response,
 * and a dispatch skips events another one holds (SKIP LOCKED): so until none of the unit's is left.
 */
async function untilDispatched(unitId: SQL) {
  for (let poll = 0; poll < 100; poll += 1) {
    await dispatchEvents(config, testNow(), 10_000);
    const [left] = await owner()
      .select({ count: sql<number>`count(*)::int` })
      .from(integrationEvents)
      .where(and(sql`${integrationEvents.unitId} = ${unitId}`, eq(integrationEvents.dispatched, false)));
    if (left!.count === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect.fail('the unit\'s events were never all dispatched');
}

export const untilUnitDispatched = (unitCode: string) => untilDispatched(sql`(select id from units where code = ${unitCode})`);

export async function deliverFor(subscriptionId: string, at: Date) {
  await untilDispatched(sql`(select unit_id from webhook_subscriptions where id = ${subscriptionId})`);
  const due = await owner()
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), eq(webhookDeliveries.status, 'pending'), sql`${webhookDeliveries.nextAttemptAt} <= ${at.toISOString()}::timestamptz`));
  return Promise.all(due.map(({ id }) => attemptDelivery(config, id, at)));
}

export async function deliveriesOf(subscriptionId: string) {
  return owner().select().from(webhookDeliveries).where(eq(webhookDeliveries.subscriptionId, subscriptionId));
}

export async function attemptsOf(subscriptionId: string) {
  return owner().select().from(webhookDeliveryAttempts).where(eq(webhookDeliveryAttempts.subscriptionId, subscriptionId)).orderBy(webhookDeliveryAttempts.attemptedAt);
}

/**
 * deliverFor at `at` until `done` holds of the subscription's deliveries: the queue's consumer
 * may be attempting the same deliveries on the real clock meanwhile, and no attempt is left in flight.
 */
export async function deliverUntil(subscriptionId: string, at: () => Date, done: (deliveries: Awaited<ReturnType<typeof deliveriesOf>>) => boolean) {
  let deliveries = [] as Awaited<ReturnType<typeof deliveriesOf>>;
  for (let poll = 0; poll < 50; poll += 1) {
    await deliverFor(subscriptionId, at());
    deliveries = await deliveriesOf(subscriptionId);
    if (done(deliveries) && deliveries.every((delivery) => delivery.leasedUntil === null)) return deliveries;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect.fail(`the deliveries of ${subscriptionId} did not settle: ${JSON.stringify(deliveries)}`);
}

export const accepted = (received: ReceivedDelivery[]) => received.filter((delivery) => delivery.verificationError === null);
