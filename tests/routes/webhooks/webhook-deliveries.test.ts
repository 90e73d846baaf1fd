import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, integrationEvents, units } from '../../../src/db/schema.js';
import { getWebhookDeliveryRoute } from '../../../src/routes/webhooks/get-webhook-delivery.js';
import { listWebhookDeliveriesRoute } from '../../../src/routes/webhooks/list-webhook-deliveries.js';
import { replayWebhookEventsRoute } from '../../../src/routes/webhooks/replay-webhook-events.js';
import { api, expectProblem } from '../../support/api.js';
import { auditTrail } from '../../support/audit.js';
import { reportTestCase } from '../../support/cases.js';
import { hoursAgo, testNow } from '../../support/clock.js';
import { parseResponse } from '../../support/contract.js';
import { createTestTenant, type TestTenant } from '../../support/tenants.js';
import { tokenFor } from '../../support/tokens.js';
import { accepted, deliverUntil, deliveriesOf, hoursAfter, owner, subscribe, subscribedUnit, untilUnitDispatched } from '../../webhooks/delivery-support.js';
import { newReceiver } from '../../webhooks/receivers.js';
import { generateSigningSecret } from '../../../src/webhooks/signing-secret.js';

const webhookPath = (tenant: TestTenant, subscriptionId: string) => `/v1/units/${tenant.unitCode}/webhooks/${subscriptionId}`;

async function reportedEventOf(caseId: string) {
  const [event] = await owner().select().from(integrationEvents).where(and(eq(integrationEvents.caseId, caseId), eq(integrationEvents.type, 'case.reported')));
  return event!;
}

async function listDeliveries(tenant: TestTenant, subscriptionId: string, query = '') {
  const response = await api(`${webhookPath(tenant, subscriptionId)}/deliveries${query}`, { token: await tokenFor.unit(tenant.unitCode) });
  return parseResponse(listWebhookDeliveriesRoute, 200, response);
}

async function replay(tenant: TestTenant, subscriptionId: string, body: unknown, token?: string) {
  return api(`${webhookPath(tenant, subscriptionId)}/replay`, { method: 'POST', token: token ?? (await tokenFor.unit(tenant.unitCode)), body });
}

describe('the delivery log: /v1/units/{unitCode}/webhooks/{subscriptionId}/deliveries', () => {
  it('shows a delivery that failed and then went through, with every attempt', async () => {
    const { tenant, receiver, subscription, secret } = await subscribedUnit(['case.reported'], 'fail');
    const reported = await reportTestCase(tenant);
    await deliverUntil(subscription.id, testNow, (deliveries) => deliveries.length === 1 && deliveries[0]!.attempts >= 1);
    const token = await tokenFor.unit(tenant.unitCode);
    const fixed = await api(webhookPath(tenant, subscription.id), { method: 'PATCH', token, headers: { 'If-Match': '*' }, body: { url: receiver.url('ok') } });
    expect(fixed.status).toBe(200);
    const later = hoursAfter(testNow(), 1);
    await receiver.hold(secret, later);
    await deliverUntil(subscription.id, () => later, (deliveries) => deliveries[0]!.status === 'delivered');

    const event = await reportedEventOf(reported.id);
    const page = await listDeliveries(tenant, subscription.id);
    expect(page.pagination).toEqual({ nextCursor: null, hasMore: false });
    expect(page.data).toEqual([
      expect.objectContaining({
        eventId: event.id,
        eventType: 'case.reported',
        occurredAt: new Date(event.occurredAt).toISOString(),
        status: 'delivered',
        attemptCount: 2,
        nextAttemptAt: null,
        lastAttemptAt: later.toISOString(),
        lastResponseStatus: 200,
        lastError: null,
        deliveredAt: later.toISOString(),
      }),
    ]);
    const got = await parseResponse(getWebhookDeliveryRoute, 200, await api(`${webhookPath(tenant, subscription.id)}/deliveries/${page.data[0]!.id}`, { token }));
    expect({ ...got, attempts: undefined }).toEqual({ ...page.data[0], attempts: undefined });
    expect(got.attempts.map(({ attemptNumber, outcome, responseStatus }) => [attemptNumber, outcome, responseStatus])).toEqual([
      [1, 'failed', 500],
      [2, 'delivered', 200],
    ]);
    expect(got.attempts[1]).toMatchObject({ attemptedAt: later.toISOString(), error: null });
    expect(got.attempts[0]!.error).toBeTruthy();
    for (const attempt of got.attempts) expect(attempt.durationMs).toBeGreaterThanOrEqual(0);

    await expectProblem(await api(`${webhookPath(tenant, subscription.id)}/deliveries/${crypto.randomUUID()}`, { token }), 404, 'not_found');
    await expectProblem(await api(`${webhookPath(tenant, crypto.randomUUID())}/deliveries`, { token }), 404, 'not_found');
  });

  it('pages newest first, filters by status, and shows a pending delivery when it is due', async () => {
    const { tenant, subscription } = await subscribedUnit(['case.reported'], 'fail');
    for (let index = 0; index < 3; index += 1) await reportTestCase(tenant);
    const start = testNow();
    const settled = await deliverUntil(subscription.id, testNow, (deliveries) => deliveries.length === 3 && deliveries.every((delivery) => delivery.attempts >= 1));

    const first = await listDeliveries(tenant, subscription.id, '?limit=2');
    expect(first.data).toHaveLength(2);
    expect(first.pagination.hasMore).toBe(true);
    const second = await listDeliveries(tenant, subscription.id, `?limit=2&cursor=${first.pagination.nextCursor}`);
    expect(second.data).toHaveLength(1);
    expect(second.pagination).toEqual({ nextCursor: null, hasMore: false });
    const ids = [...first.data, ...second.data].map((delivery) => delivery.id);
    expect(ids).toEqual(settled.map((delivery) => delivery.id).sort().reverse());
    for (const delivery of [...first.data, ...second.data]) {
      expect(delivery).toMatchObject({ status: 'pending', lastResponseStatus: 500, deliveredAt: null });
      expect(Date.parse(delivery.nextAttemptAt!)).toBeGreaterThan(start.getTime());
    }

    expect((await listDeliveries(tenant, subscription.id, '?status=pending')).data).toHaveLength(3);
    expect((await listDeliveries(tenant, subscription.id, '?status=delivered')).data).toEqual([]);
    const token = await tokenFor.unit(tenant.unitCode);
    await expectProblem(await api(`${webhookPath(tenant, subscription.id)}/deliveries?status=lost`, { token }), 400, 'validation_failed');
    await expectProblem(await api(`${webhookPath(tenant, subscription.id)}/deliveries?cursor=nonsense`, { token }), 400, 'invalid_cursor');
  });
});

describe('replay: POST /v1/units/{unitCode}/webhooks/{subscriptionId}/replay', () => {
  it('sends one event again with the same webhook-id, logs the attempt and audits the replay', async () => {
    const { tenant, receiver, subscription } = await subscribedUnit(['case.reported']);
    const reported = await reportTestCase(tenant);
    await deliverUntil(subscription.id, testNow, (deliveries) => deliveries[0]?.status === 'delivered');
    const event = await reportedEventOf(reported.id);

    const response = await replay(tenant, subscription.id, { eventId: event.id });
    expect(await parseResponse(replayWebhookEventsRoute, 202, response)).toEqual({ replayed: 1, eventId: event.id });
    const [delivery] = await deliverUntil(subscription.id, testNow, (deliveries) => deliveries[0]!.status === 'delivered' && deliveries[0]!.attempts === 2);
    expect(delivery!.scheduleAttempts).toBe(1);

    const received = accepted(await receiver.deliveries());
    expect(received.map((delivery) => delivery.webhookId)).toEqual([event.id, event.id]);
    expect(received[1]!.body).toBe(received[0]!.body);
    const [logged] = (await listDeliveries(tenant, subscription.id)).data;
    expect(logged).toMatchObject({ eventId: event.id, status: 'delivered', attemptCount: 2 });

    const replayed = (await auditTrail(tenant.unitCode, await tokenFor.unit(tenant.unitCode))).filter((entry) => entry.action === 'webhook.replayed');
    expect(replayed).toEqual([expect.objectContaining({ target: { type: 'webhook_subscription', id: subscription.id }, changes: { eventId: event.id, replayed: 1 } })]);
  });

  it('sends a range\'s events that the subscription receives, and only those', async () => {
    const tenant = await createTestTenant();
    const northOfficer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[1], 'duty_officer');
    const southOfficer = await tokenFor.station(tenant.unitCode, tenant.stationCodes[2], 'duty_officer');
    const inRange = await reportTestCase(tenant, {}, northOfficer);
    const atTheStart = await reportTestCase(tenant);
    const tooEarly = await reportTestCase(tenant);
    const atTheEnd = await reportTestCase(tenant);
    const otherDistrict = await reportTestCase(tenant, {}, southOfficer);
    const now = testNow();
    const from = hoursAgo(5, now);
    const to = hoursAgo(1, now);
    const moved = { [inRange.id]: hoursAgo(3, now), [atTheStart.id]: from, [tooEarly.id]: hoursAgo(30, now), [atTheEnd.id]: to, [otherDistrict.id]: hoursAgo(3, now) };
    for (const [caseId, occurredAt] of Object.entries(moved)) await owner().update(integrationEvents).set({ occurredAt }).where(eq(integrationEvents.caseId, caseId));
    const [unit] = await owner().select({ id: units.id }).from(units).where(eq(units.code, tenant.unitCode));
    const [reportedIn] = await owner().select().from(integrationEvents).where(eq(integrationEvents.id, (await reportedEventOf(inRange.id)).id));
    await owner().insert(integrationEvents).values({
      unitId: unit!.id, type: 'case.status_changed', caseId: inRange.id, districtId: reportedIn!.districtId, stationId: reportedIn!.stationId, payload: {}, occurredAt: hoursAgo(3, now),
    });
    // Every event fanned out before the subscription exists: what it gets is the replay's alone.
    await untilUnitDispatched(tenant.unitCode);
    const receiver = await newReceiver(generateSigningSecret(), testNow());
    const { subscription, secret } = await subscribe(tenant, receiver.url('ok'), ['case.reported'], { level: 'district', districtCode: tenant.districtCodes[0] });
    await receiver.hold(secret, testNow());

    const response = await replay(tenant, subscription.id, { from, to });
    expect(await parseResponse(replayWebhookEventsRoute, 202, response)).toEqual({ replayed: 2, from, to });
    const expected = [await reportedEventOf(inRange.id), await reportedEventOf(atTheStart.id)].map((event) => event.id).sort();
    const delivered = await deliverUntil(subscription.id, testNow, (deliveries) => deliveries.length === 2 && deliveries.every((delivery) => delivery.status === 'delivered'));
    expect(delivered.map((delivery) => delivery.eventId).sort()).toEqual(expected);
    expect(accepted(await receiver.deliveries()).map((delivery) => delivery.webhookId).sort()).toEqual(expected);

    // The same range again: the same two, queued again, not two more.
    expect(await parseResponse(replayWebhookEventsRoute, 202, await replay(tenant, subscription.id, { from, to }))).toMatchObject({ replayed: 2 });
    expect(await deliveriesOf(subscription.id)).toHaveLength(2);
  });

  it('refuses a malformed body, an event the subscription does not receive, and a disabled subscription, changing nothing', async () => {
    const { tenant, subscription } = await subscribedUnit(['case.transferred'], 'ok', { level: 'unit' });
    const other = await createTestTenant();
    const reported = await reportTestCase(tenant);
    const foreign = await reportTestCase(other);
    const event = await reportedEventOf(reported.id);
    const now = testNow();
    const pointers = async (body: unknown) => (await expectProblem(await replay(tenant, subscription.id, body), 400, 'validation_failed')).errors?.map((error) => error.pointer);
    expect(await pointers({})).toEqual(['/body']);
    expect(await pointers({ eventId: 'not-a-uuid' })).toEqual(['/body/eventId']);
    expect(await pointers({ from: hoursAgo(2, now) })).toEqual(['/body']);
    expect(await pointers({ eventId: event.id, from: hoursAgo(2, now), to: hoursAgo(1, now) })).toEqual(['/body']);
    expect(await pointers({ from: hoursAgo(1, now), to: hoursAgo(2, now) })).toEqual(['/body/to']);
    expect(await pointers({ from: hoursAgo(1, now), to: hoursAgo(1, now) })).toEqual(['/body/to']);
    expect(await pointers({ from: hoursAgo(24 * 32, now), to: hoursAgo(0, now) })).toEqual(['/body/to']);
    expect(await pointers({ from: 'yesterday', to: hoursAgo(0, now) })).toEqual(['/body/from']);

    await expectProblem(await replay(tenant, subscription.id, { eventId: event.id }), 422, 'event_not_subscribed');
    await expectProblem(await replay(tenant, subscription.id, { eventId: (await reportedEventOf(foreign.id)).id }), 404, 'not_found');
    await expectProblem(await replay(tenant, subscription.id, { eventId: crypto.randomUUID() }), 404, 'not_found');
    await expectProblem(await replay(tenant, crypto.randomUUID(), { eventId: event.id }), 404, 'not_found');

    const token = await tokenFor.unit(tenant.unitCode);
    expect((await api(`${webhookPath(tenant, subscription.id)}/disable`, { method: 'POST', token })).status).toBe(200);
    await expectProblem(await replay(tenant, subscription.id, { from: hoursAgo(2, now), to: hoursAgo(0, now) }), 409, 'webhook_disabled');

    expect(await deliveriesOf(subscription.id)).toEqual([]);
    expect((await auditTrail(tenant.unitCode, token)).filter((entry) => entry.action === 'webhook.replayed')).toEqual([]);
  });

  it('answers another unit\'s administrator 404 on the log and the replay, and officers 403, changing nothing', async () => {
    const { tenant, subscription } = await subscribedUnit(['case.reported'], 'fail');
    await reportTestCase(tenant);
    const [before] = await deliverUntil(subscription.id, testNow, (deliveries) => deliveries[0]?.attempts === 1);
    const other = await createTestTenant();
    const outsider = await tokenFor.unit(other.unitCode);
    const path = webhookPath(tenant, subscription.id);
    const asOtherUnit = `/v1/units/${other.unitCode}/webhooks/${subscription.id}`;
    for (const url of [path, asOtherUnit]) {
      await expectProblem(await api(`${url}/deliveries`, { token: outsider }), 404, 'not_found');
      await expectProblem(await api(`${url}/deliveries/${before!.id}`, { token: outsider }), 404, 'not_found');
      await expectProblem(await api(`${url}/replay`, { method: 'POST', token: outsider, body: { eventId: before!.eventId } }), 404, 'not_found');
      await expectProblem(await api(`${url}/replay`, { method: 'POST', token: outsider, body: { from: hoursAgo(2), to: hoursAgo(-1) } }), 404, 'not_found');
    }
    for (const officer of [await tokenFor.station(tenant.unitCode, tenant.stationCodes[0]), await tokenFor.district(tenant.unitCode, tenant.districtCodes[0])]) {
      await expectProblem(await replay(tenant, subscription.id, { eventId: before!.eventId }, officer), 403, 'forbidden');
      await expectProblem(await api(`${path}/deliveries`, { token: officer }), 403, 'forbidden');
    }

    const [after] = await deliveriesOf(subscription.id);
    expect(after).toEqual(before);
    const audited = await owner().select().from(auditEvents).where(and(inArray(auditEvents.targetId, [subscription.id]), eq(auditEvents.action, 'webhook.replayed')));
    expect(audited).toEqual([]);
  });
});
