import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchEnvironment } from '../../scripts/bench/setup.js';
import { startNodeEntry, type NodeEntry } from '../support/node-entry.js';
import { startWebhookReceiver } from './webhook-receiver.js';
import type { ReceivedDelivery } from './webhook-receiver.js';

/**
 * The Node entry has no queue: after each write it fans the write's events out and attempts the
 * deliveries itself (src/node.ts). On an embedded database of its own, as the month replay runs.
 */
describe('webhook delivery on the Node entry', () => {
  let env: BenchEnvironment;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let node: NodeEntry;
  let base: string;

  beforeAll(async () => {
    node = await startNodeEntry('node-webhooks', { ALLOW_LOOPBACK_JWKS: 'true' });
    ({ env, base } = node);
    receiver = await startWebhookReceiver();
  }, 120_000);

  afterAll(async () => {
    await node?.close();
    await receiver?.close();
  });

  async function call(path: string, token: string, body?: unknown) {
    const response = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    expect(response.status, text).toBeLessThan(300);
    return JSON.parse(text) as Record<string, unknown>;
  }

  it("delivers a write's events from the process itself, signed and verified by the standard library", async () => {
    const admin = await env.token({ roles: ['unit_admin'], unit: 'MH' });
    const officer = await env.token({ roles: ['investigating_officer'], unit: 'MH', station: 'MH-PUNE-CYBER' });
    const name = `node-${crypto.randomUUID()}`;
    const created = (await call('/v1/units/MH/webhooks', admin, { url: `${receiver.url}/hooks/${name}/ok`, scope: { level: 'station', stationCode: 'MH-PUNE-CYBER' }, eventTypes: ['case.reported'] })) as {
      secret: string;
    };
    const registered = await fetch(`${receiver.url}/receivers/${name}`, { method: 'PUT', body: JSON.stringify({ secret: created.secret, now: new Date().toISOString() }) });
    expect(registered.status).toBe(204);

    const firstContactAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
    const reported = await call('/v1/cases', officer, {
      complainant: { name: 'Node entry complainant', phone: '9812345610', relationToVictim: 'self' },
      victim: { age: 19 },
      incident: { firstContactAt, platforms: ['instagram'], channels: ['video_call'], imagesCirculated: false },
    });

    let received: ReceivedDelivery[] = [];
    for (let poll = 0; poll < 100 && received.length === 0; poll += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      received = (await (await fetch(`${receiver.url}/receivers/${name}/deliveries`)).json()) as ReceivedDelivery[];
    }
    expect(received).toHaveLength(1);
    expect(received[0]!.verificationError).toBeNull();
    const envelope = JSON.parse(received[0]!.body) as { id: string; type: string; caseId: string };
    expect(envelope).toMatchObject({ type: 'case.reported', caseId: reported.id });
    expect(received[0]!.webhookId).toBe(envelope.id);
  }, 60_000);
});
