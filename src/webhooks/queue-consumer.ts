import { z } from '@hono/zod-openapi';
import type { AppConfig } from '../env.js';
import { attemptDelivery, logDeliveryFailure, type DeliveryMessage } from './delivery-work.js';
import { queueMaxDelaySeconds, type RandomSource } from './retry-schedule.js';

const messageSchema = z.object({ deliveryId: z.uuid() });
/** When the attempt itself could not run (the database did not answer): again in a minute. */
export const attemptErrorRetrySeconds = 60;

/**
 * The delivery queue's consumer: one attempt per message. A failed attempt comes back after its
 * retry delay (delaySeconds); everything else is acknowledged, since the delivery's row says
 * what is left to do. A message that keeps failing ends in the dead-letter queue, and the minute
 * sweep hands its delivery on again while it is still due.
 */
export async function consumeDeliveryBatch(batch: MessageBatch<DeliveryMessage>, config: AppConfig, clock: () => Date = () => new Date(), random: RandomSource = Math.random): Promise<void> {
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = messageSchema.safeParse(message.body);
      if (!parsed.success) {
        console.error(JSON.stringify({ webhooks: 'queue', messageId: message.id, error: 'not a delivery message' }));
        message.ack();
        return;
      }
      try {
        const result = await attemptDelivery(config, parsed.data.deliveryId, clock(), random);
        if (result.outcome === 'retry') message.retry({ delaySeconds: Math.min(queueMaxDelaySeconds, result.delaySeconds) });
        else message.ack();
      } catch (error) {
        logDeliveryFailure(parsed.data.deliveryId, error);
        message.retry({ delaySeconds: attemptErrorRetrySeconds });
      }
    }),
  );
}
