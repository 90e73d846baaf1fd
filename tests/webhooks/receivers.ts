import { env } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { ReceivedDelivery } from './webhook-receiver.js';

export type ReceiverBehaviour = 'ok' | 'fail' | 'redirect' | 'slow' | 'large';

/** Sets up an endpoint on the loopback webhook receiver that holds `secret` and whose clock reads `now`. */
export async function newReceiver(secret: string, now: Date) {
  const name = `hook-${crypto.randomUUID()}`;
  const register = async (holding: string, at: Date) => {
    const response = await fetch(`${env.TEST_WEBHOOK_RECEIVER}/receivers/${name}`, { method: 'PUT', body: JSON.stringify({ secret: holding, now: at.toISOString() }) });
    expect(response.status).toBe(204);
  };
  await register(secret, now);
  return {
    /** Holds another secret, or reads another time, from now on; what arrived is kept. */
    hold: register,
    /** Its own port (the same one each time), opened or closed as a server going down and coming back. */
    async listener(action: 'start' | 'stop'): Promise<string> {
      const response = await fetch(`${env.TEST_WEBHOOK_RECEIVER}/listeners/${name}/${action}`, { method: 'POST' });
      expect(response.status).toBe(200);
      const { url } = (await response.json()) as { url: string };
      return `${url}/hooks/${name}/ok`;
    },
    url: (behaviour: ReceiverBehaviour) => `${env.TEST_WEBHOOK_RECEIVER}/hooks/${name}/${behaviour}`,
    async deliveries(): Promise<ReceivedDelivery[]> {
      return (await fetch(`${env.TEST_WEBHOOK_RECEIVER}/receivers/${name}/deliveries`)).json();
    },
  };
}
