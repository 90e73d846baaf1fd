import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents, integrationEvents, units, webhookDeliveries } from '../../src/db/schema.js';
import worker from '../../src/index.js';
import { webhookDeliveryJobs } from '../../src/scheduled.js';
import { getWebhookRoute } from '../../src/routes/webhooks/get-webhook.js';
import { inProcessChannel, type DeliveryMessage } from '../../src/webhooks/delivery-work.js';
import { firstRetryDelaySeconds, maxDeliveryAttempts } from '../../src/webhooks/retry-schedule.js';
import { generateSigningSecret } from '../../src/webhooks/signing-secret.js';
import { api } from '../support/api.js';
import { reportTestCase } from '../support/cases.js';
import { testNow } from '../support/clock.js';
import { untilEarlierTransactionsEnd } from '../support/event-feed.js';
import { appConfig } from '../support/config.js';
import { parseResponse } from '../support/contract.js';
import { createTestTenant, type TestTenant } from '../support/tenants.js';
import { tokenFor } from '../support/tokens.js';
import { accepted, aheadOfTheQueueConsumer, attemptsOf, deliverFor, deliveriesOf, hoursAfter, owner, reportCaseAt, subscribe, subscribedUnit, untilUnitDispatched } from './delivery-support.js';
import { newReceiver, type ReceiverBehaviour } from './receivers.js';

const config = appConfig();

async function feed(tenant: TestTenant, types: string) {
  await untilEarlierTransactionsEnd();
  const response = await api(`/v1/events?types=${types}`, { token: await tokenFor.unit(tenant.unitCode) });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: { id: string; type: string }[] }).data;
}

describe('webhook delivery from the outbox', () => {
  it('delivers each event a subscription names, signed, with the feed envelope and the event id as webhook-id', async () => {
    const { tenant, receiver, subscription } = await subscribedUnit(['case.reported', 'step.completed']);
    const reported = await reportTestCase(tenant);
    await deliverFor(subscription.id, testNow());

    const [event] = await feed(tenant, 'case.reported');
    const received = await receiver.deliveries();
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ webhookId: event!.id, contentType: 'application/json', verificationError: null });
    expect(JSON.parse(received[0]!.body)).toEqual(event);
    expect(event).toMatchObject({ type: 'case.reported', caseId: reported.id });

    const [delivery] = await deliveriesOf(subscription.id);
    expect(delivery).toMatchObject({ eventId: event!.id, status: 'delivered', attempts: 1, lastResponseStatus: 200, lastError: null });
    expect(await attemptsOf(subscription.id)).toEqual([expect.objectContaining({ attemptNumber: 1, outcome: 'delivered', responseStatus: 200, error: null })]);
  });

  it('fans out to every subscription whose scope holds the event and whose types name it, and to no other', async () => {
    const tenant = await createTestTenant();
    const [station] = tenant.stationCodes;
    const url = (await newReceiver(generateSigningSecret(), testNow())).url('ok');
    const subscriptions = {
      unit: await subscribe(tenant, url, ['case.reported']),
      district: await subscribe(tenant, url, ['case.reported'], { level: 'district', districtCode: tenant.districtCodes[0] }),
      station: await subscribe(tenant, url, ['case.reported'], { level: 'station', stationCode: station }),
      otherDistrict: await subscribe(tenant, url, ['case.reported'], { level: 'district', districtCode: tenant.districtCodes[1] }),
      otherStation: await subscribe(tenant, url, ['case.reported'], { level: 'station', stationCode: tenant.stationCodes[1] }),
      otherTypes: await subscribe(tenant, url, ['step.escalated']),
    };
    await reportTestCase(tenant);
    await untilUnitDispatched(tenant.unitCode);
    const counts = Object.fromEntries(
      await Promise.all(Object.entries(subscriptions).map(async ([name, created]) => [name, (await deliveriesOf(created.subscription.id)).length])),
    );
    expect(counts).toEqual({ unit: 1, district: 1, station: 1, otherDistrict: 0, otherStation: 0, otherTypes: 0 });
  });

  it('loses nothing while the receiver is down: retried on the schedule, and a redelivery carries the same webhook-id', async () => {
    const tenant = await createTestTenant();
    const receiver = await newReceiver(generateSigningSecret(), testNow());
    const url = await receiver.listener('start');
    const { subscription, secret } = await subscribe(tenant, url, ['case.reported']);
    const start = aheadOfTheQueueConsumer();
    await receiver.hold(secret, start);

    await reportCaseAt(tenant, start);
    await deliverFor(subscription.id, start);
    expect(accepted(await receiver.deliveries())).toHaveLength(1);

    await receiver.listener('stop');
    await reportCaseAt(tenant, start);
    await reportCaseAt(tenant, start);
    await deliverFor(subscription.id, start);
    const waiting = (await deliveriesOf(subscription.id)).filter((delivery) => delivery.status === 'pending');
    expect(waiting).toHaveLength(2);
    for (const delivery of waiting) {
      expect(delivery.attempts).toBe(1);
      expect(Date.parse(delivery.nextAttemptAt) - start.getTime()).toBeGreaterThanOrEqual(firstRetryDelaySeconds * 900);
    }
    // Not yet due: nothing is attempted early.
    expect(await deliverFor(subscription.id, start)).toEqual([]);

    // Still down an hour later: the second attempt fails too.
    await deliverFor(subscription.id, hoursAfter(start, 1));
    await receiver.listener('start');
    const later = hoursAfter(start, 3);
    await receiver.hold(secret, later);
    await deliverFor(subscription.id, later);

    const events = await feed(tenant, 'case.reported');
    expect(events).toHaveLength(3);
    const received = accepted(await receiver.deliveries());
    expect(received).toHaveLength(3);
    expect(new Set(received.map((delivery) => delivery.webhookId))).toEqual(new Set(events.map((event) => event.id)));
    for (const delivery of received) expect(JSON.parse(delivery.body).id).toBe(delivery.webhookId);
    expect((await deliveriesOf(subscription.id)).map((delivery) => delivery.status)).toEqual(['delivered', 'delivered', 'delivered']);
    const failed = (await attemptsOf(subscription.id)).filter((attempt) => attempt.outcome === 'failed');
    expect(failed).toHaveLength(4);
    expect(failed[0]?.error).toMatch(/request failed|refused|connect/i);
  });

  it('a receiver that answered 500 gets the same webhook-id again once it is fixed, and the failure count starts afresh', async () => {
    const { tenant, receiver, subscription, secret } = await subscribedUnit(['case.reported'], 'fail');
    const start = aheadOfTheQueueConsumer();
    await receiver.hold(secret, start);
    await reportCaseAt(tenant, start);
    await deliverFor(subscription.id, start);
    const fixed = await api(`/v1/units/${tenant.unitCode}/webhooks/${subscription.id}`, {
      method: 'PATCH',
      token: await tokenFor.unit(tenant.unitCode),
      headers: { 'If-Match': `"v${subscription.version}"` },
      body: { url: receiver.url('ok') },
    });
    expect(fixed.status).toBe(200);
    const later = hoursAfter(start, 1);
    await receiver.hold(secret, later);
    await deliverFor(subscription.id, later);

    const received = await receiver.deliveries();
    expect(received.map((delivery) => delivery.path.split('/').at(-1))).toEqual(['fail', 'ok']);
    expect(received[1]!.webhookId).toBe(received[0]!.webhookId);
    expect(received[1]!.body).toBe(received[0]!.body);
    expect(received.every((delivery) => delivery.verificationError === null)).toBe(true);
    const got = await parseResponse(getWebhookRoute, 200, await api(`/v1/units/${tenant.unitCode}/webhooks/${subscription.id}`, { token: await tokenFor.unit(tenant.unitCode) }));
    expect(got).toMatchObject({ status: 'enabled', consecutiveFailures: 0, failingSince: null });
    expect((await attemptsOf(subscription.id)).map((attempt) => [attempt.attemptNumber, attempt.outcome, attempt.responseStatus])).toEqual([
      [1, 'failed', 500],
      [2, 'delivered', 200],
    ]);
  });

  it('disables a subscription that failed every delivery for a whole schedule, audits it and raises delivery.disabled', async () => {
    const { tenant, subscription } = await subscribedUnit(['case.reported'], 'fail');
    const start = aheadOfTheQueueConsumer();
    await reportCaseAt(tenant, start);
    for (let attempt = 0; attempt < maxDeliveryAttempts; attempt += 1) await deliverFor(subscription.id, hoursAfter(start, 7 * attempt));

    const [delivery] = await deliveriesOf(subscription.id);
    expect(delivery).toMatchObject({ status: 'failed', attempts: maxDeliveryAttempts });
    const got = await parseResponse(getWebhookRoute, 200, await api(`/v1/units/${tenant.unitCode}/webhooks/${subscription.id}`, { token: await tokenFor.unit(tenant.unitCode) }));
    expect(got).toMatchObject({ status: 'disabled', disabledReason: 'delivery kept failing', consecutiveFailures: maxDeliveryAttempts });
    const [raised] = await feed(tenant, 'delivery.disabled');
    expect(raised).toMatchObject({ type: 'delivery.disabled', caseId: null, stationId: null, data: { subscriptionId: subscription.id, consecutiveFailures: maxDeliveryAttempts } });
    const audited = await owner().select().from(auditEvents).where(and(eq(auditEvents.targetId, subscription.id), eq(auditEvents.action, 'webhook.disabled')));
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actorIssuer: 'urn:sextortion-sop-api:scheduler' });

    // Disabled: new events are not dispatched to it, and nothing more is attempted.
    await reportCaseAt(tenant, start);
    expect(await deliverFor(subscription.id, hoursAfter(start, 7 * maxDeliveryAttempts))).toEqual([]);
    expect(await deliveriesOf(subscription.id)).toHaveLength(1);
  });

  it('keeps a subscription that failed only a few times, however long ago the first was', async () => {
    const { tenant, subscription } = await subscribedUnit(['case.reported'], 'fail');
    const start = aheadOfTheQueueConsumer();
    await reportCaseAt(tenant, start);
    await deliverFor(subscription.id, start);
    await deliverFor(subscription.id, hoursAfter(start, 24 * 30));
    const got = await parseResponse(getWebhookRoute, 200, await api(`/v1/units/${tenant.unitCode}/webhooks/${subscription.id}`, { token: await tokenFor.unit(tenant.unitCode) }));
    expect(got).toMatchObject({ status: 'enabled', consecutiveFailures: 2 });
  });
});

async function unitWithDeliveryOutsideTheQueue(behaviour: ReceiverBehaviour) {
  const tenant = await createTestTenant();
  const reported = await reportTestCase(tenant);
  await untilUnitDispatched(tenant.unitCode);
  const receiver = await newReceiver(generateSigningSecret(), new Date());
  const { subscription, secret } = await subscribe(tenant, receiver.url(behaviour), ['case.reported']);
  const [event] = await owner().select({ id: integrationEvents.id }).from(integrationEvents).where(and(eq(integrationEvents.caseId, reported.id), eq(integrationEvents.type, 'case.reported')));
  const [unit] = await owner().select({ id: units.id }).from(units).where(eq(units.code, tenant.unitCode));
  const [delivery] = await owner()
    .insert(webhookDeliveries)
    .values({ unitId: unit!.id, subscriptionId: subscription.id, eventId: event!.id, nextAttemptAt: '2000-01-01T00:00:00Z' })
    .returning();
  return { receiver, subscription, secret, delivery: delivery! };
}

describe('the minute sweep (webhookDeliveryJobs)', () => {
  it('hands on every due delivery no message holds, and fans out events no write dispatched', async () => {
    const lost = await unitWithDeliveryOutsideTheQueue('ok');
    const tenant = await createTestTenant();
    const { subscription } = await subscribe(tenant, lost.receiver.url('ok'), ['delivery.disabled']);
    const [unit] = await owner().select({ id: units.id }).from(units).where(eq(units.code, tenant.unitCode));
    // An event written outside any request (as a sweep writes its own): nothing dispatched it yet.
    const [event] = await owner()
      .insert(integrationEvents)
      .values({ unitId: unit!.id, type: 'delivery.disabled', payload: { subscriptionId: crypto.randomUUID() } })
      .returning();

    const sent: string[] = [];
    await webhookDeliveryJobs({ send: async (ids) => void sent.push(...ids) }).deliverWebhooks!(config, testNow());
    const [made] = await deliveriesOf(subscription.id);
    expect(made).toMatchObject({ eventId: event!.id, status: 'pending' });
    expect(sent).toEqual(expect.arrayContaining([lost.delivery.id, made!.id]));
    expect(new Set(sent).size).toBe(sent.length);
  });
});

describe('in-process delivery (the Node entry, or Workers without the queue)', () => {
  it('attempts each delivery once, and none after its budget: those stay due for the next minute', async () => {
    const sent = await unitWithDeliveryOutsideTheQueue('ok');
    const late = await unitWithDeliveryOutsideTheQueue('ok');
    await sent.receiver.hold(sent.secret, new Date());
    await inProcessChannel(config).send([sent.delivery.id, sent.delivery.id]);
    expect((await deliveriesOf(sent.subscription.id))[0]).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(accepted(await sent.receiver.deliveries())).toHaveLength(1);

    await inProcessChannel(config, () => new Date(), { budgetMs: 0 }).send([late.delivery.id]);
    expect((await deliveriesOf(late.subscription.id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });
});

describe('the delivery queue consumer (src/index.ts queue)', () => {
  async function consume(messages: { id: string; body: unknown }[]) {
    const batch = createMessageBatch<DeliveryMessage>('sextortion-webhook-deliveries', messages.map((message) => ({ ...message, timestamp: new Date(), attempts: 1 }) as never));
    const ctx = createExecutionContext();
    await worker.queue(batch, env as never);
    await waitOnExecutionContext(ctx);
    return getQueueResult(batch, ctx);
  }

  it('acknowledges a delivered message, retries a failed one after its delay, and acknowledges what is not a delivery', async () => {
    // Events dispatched before anyone subscribed, then deliveries written by hand, so that no
    // message but these holds them; due by the real clock, which the consumer reads.
    const ok = await unitWithDeliveryOutsideTheQueue('ok');
    const failing = await unitWithDeliveryOutsideTheQueue('fail');
    const delivered = ok.delivery;
    const failed = failing.delivery;
    await ok.receiver.hold(ok.secret, new Date());
    await failing.receiver.hold(failing.secret, new Date());

    const result = await consume([
      { id: 'a', body: { deliveryId: delivered!.id } },
      { id: 'b', body: { deliveryId: failed!.id } },
      { id: 'c', body: { something: 'else' } },
    ]);
    expect([...result.explicitAcks].sort()).toEqual(['a', 'c']);
    expect(result.retryMessages.map((message: { msgId: string }) => message.msgId)).toEqual(['b']);
    const [retried] = await deliveriesOf(failing.subscription.id);
    const waitSeconds = (Date.parse(retried!.nextAttemptAt) - Date.parse(retried!.lastAttemptAt!)) / 1000;
    expect(waitSeconds).toBeGreaterThanOrEqual(firstRetryDelaySeconds * 0.9);
    expect(waitSeconds).toBeLessThanOrEqual(firstRetryDelaySeconds * 1.1);
    expect((await deliveriesOf(ok.subscription.id))[0]).toMatchObject({ status: 'delivered' });
    expect(accepted(await ok.receiver.deliveries())).toHaveLength(1);

    // Delivered already: a duplicate message is acknowledged and sends nothing.
    const again = await consume([{ id: 'd', body: { deliveryId: delivered!.id } }]);
    expect(again.explicitAcks).toEqual(['d']);
    expect(await ok.receiver.deliveries()).toHaveLength(1);
  });
});
