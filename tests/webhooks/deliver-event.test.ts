import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import type { OutboundPolicy } from '../../src/net/outbound-url.js';
import { deliverEvent, type EventDelivery } from '../../src/webhooks/deliver-event.js';
import { generateSigningSecret } from '../../src/webhooks/signing-secret.js';
import { newReceiver, type ReceiverBehaviour } from './receivers.js';

/** As in tests: loopback allowed (ALLOW_LOOPBACK_JWKS), so the receiver beside the suite can be reached. */
const development: OutboundPolicy = { allowedPorts: [], allowLoopback: true };
const production: OutboundPolicy = { allowedPorts: [], allowLoopback: false };
const sentAt = new Date('2019-03-04T05:06:07Z');
const body = JSON.stringify({ type: 'case.escalated', timestamp: sentAt.toISOString(), data: { caseId: '0196a3c2-0000-7000-8000-000000000001' } });

async function deliveryTo(behaviour: ReceiverBehaviour, overrides: Partial<EventDelivery> = {}) {
  const secret = generateSigningSecret();
  const receiver = await newReceiver(secret, sentAt);
  const delivery: EventDelivery = { url: receiver.url(behaviour), secrets: [secret], messageId: `msg_${crypto.randomUUID()}`, timestamp: sentAt, body, policy: development, ...overrides };
  return { receiver, delivery, secret };
}

describe('deliverEvent', () => {
  it('delivers a signed event that the receiver verifies and accepts', async () => {
    const { receiver, delivery } = await deliveryTo('ok');
    const result = await deliverEvent(delivery);
    expect(result).toEqual({ outcome: 'delivered', status: 200, durationMs: expect.any(Number) });
    expect(await receiver.deliveries()).toEqual([
      { path: new URL(delivery.url).pathname, webhookId: delivery.messageId, contentType: 'application/json', body, verificationError: null, receivedAtMs: expect.any(Number) },
    ]);
  });

  it('delivers to a receiver that still holds the previous secret during a rotation', async () => {
    const { receiver, delivery, secret: previous } = await deliveryTo('ok');
    const result = await deliverEvent({ ...delivery, secrets: [generateSigningSecret(), previous] });
    expect(result.outcome).toBe('delivered');
    expect((await receiver.deliveries())[0]?.verificationError).toBeNull();
  });

  it('fails when the receiver cannot verify it (signed with a secret it does not hold)', async () => {
    const { receiver, delivery } = await deliveryTo('ok');
    const result = await deliverEvent({ ...delivery, secrets: [generateSigningSecret()] });
    expect(result).toMatchObject({ outcome: 'failed', status: 401 });
    expect((await receiver.deliveries())[0]?.verificationError).toMatch(/No matching signature/);
  });

  it('fails, to be retried, when the receiver answers 500', async () => {
    const { receiver, delivery } = await deliveryTo('fail');
    expect(await deliverEvent(delivery)).toEqual({ outcome: 'failed', status: 500, error: 'the receiver answered 500', durationMs: expect.any(Number) });
    expect((await receiver.deliveries())[0]?.verificationError).toBeNull();
  });

  it('fails on a redirect and does not follow it', async () => {
    const { receiver, delivery } = await deliveryTo('redirect');
    expect(await deliverEvent(delivery)).toMatchObject({ outcome: 'failed', status: 302, error: expect.stringMatching(/redirect \(302\)/) });
    expect((await receiver.deliveries()).map((received) => received.path)).toEqual([new URL(delivery.url).pathname]);
  });

  it('fails when the receiver takes longer than 3 s', async () => {
    const { delivery } = await deliveryTo('slow');
    const result = await deliverEvent(delivery);
    expect(result).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/within 3 s/) });
    expect(result.status).toBeUndefined();
    expect(result.durationMs).toBeGreaterThanOrEqual(2_900);
  });

  it('delivers to a receiver that answers with far more than 64 KiB, reading no more than that', async () => {
    const { delivery } = await deliveryTo('large');
    expect(await deliverEvent(delivery)).toMatchObject({ outcome: 'delivered', status: 200 });
  });

  it('fails on a network error: nothing listens at the port', async () => {
    const closedPort = `http://127.0.0.1:9/hooks`;
    const result = await deliverEvent({ ...(await deliveryTo('ok')).delivery, url: closedPort });
    expect(result).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/the request failed/) });
  });

  it.each([
    ['https://10.0.0.1/hooks', development, /10\.0\.0\.1 is a private address/],
    ['https://169.254.169.254/latest/meta-data/', development, /link-local/],
    ['http://hooks.example.com/', development, /https URL/],
  ])('refuses %s without sending anything', async (url, policy, reason) => {
    const { receiver, delivery } = await deliveryTo('ok');
    expect(await deliverEvent({ ...delivery, url, policy })).toEqual({ outcome: 'refused', error: expect.stringMatching(reason), durationMs: expect.any(Number) });
    expect(await receiver.deliveries()).toEqual([]);
  });

  it('refuses the loopback receiver itself where loopback is not allowed, as in production', async () => {
    const { receiver, delivery } = await deliveryTo('ok');
    expect(delivery.url.startsWith(env.TEST_WEBHOOK_RECEIVER)).toBe(true);
    expect(await deliverEvent({ ...delivery, policy: production })).toMatchObject({ outcome: 'refused' });
    expect(await receiver.deliveries()).toEqual([]);
  });
});
