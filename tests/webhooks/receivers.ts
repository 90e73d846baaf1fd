import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { ReceivedDelivery } from './webhook-receiver.js';

export type ReceiverBehaviour = 'ok' | 'fail' | 'redirect' | 'slow' | 'large';

/** Sets up an endpoint on the loopback webhook receiver that holds `secret` and whose clock reads `now`. */
export async function newReceiver(secret: string, now: Date) {
  const name = `hook-${crypto.randomUUID()}`;
  const response = await fetch(`${env.TEST_WEBHOOK_RECEIVER}/receivers/${name}`, { method: 'PUT', body: JSON.stringify({ secret, now: now.toISOString() }) });
  expect(response.status).toBe(204);
  return {
    url: (behaviour: ReceiverBehaviour) => `${env.TEST_WEBHOOK_RECEIVER}/hooks/${name}/${behaviour}`,
    async deliveries(): Promise<ReceivedDelivery[]> {
      return (await fetch(`${env.TEST_WEBHOOK_RECEIVER}/receivers/${name}/deliveries`)).json();
    },
  };
}
