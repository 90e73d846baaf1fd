import openApiDocument from '../openapi.yaml';
import { createApp } from './app.js';
import { parseConfig } from './env.js';
import { runScheduledWork, scheduledJobs, webhookDeliveryJobs } from './scheduled.js';
import { inProcessChannel, queueChannel, type DeliveryMessage } from './webhooks/delivery-work.js';
import { consumeDeliveryBatch } from './webhooks/queue-consumer.js';

const app = createApp({ openApiDocument });

interface Bindings extends Record<string, unknown> {
  /** The webhook delivery queue (wrangler.toml): without it, the minute sweep attempts deliveries itself. */
  WEBHOOK_DELIVERIES?: Queue<DeliveryMessage>;
}

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    const result = parseConfig(env);
    if (!result.ok) {
      console.error(JSON.stringify({ scheduled: controller.cron, error: 'configuration_invalid', problems: result.problems }));
      return;
    }
    const channel = env.WEBHOOK_DELIVERIES ? queueChannel(env.WEBHOOK_DELIVERIES) : inProcessChannel(result.config);
    await runScheduledWork(result.config, new Date(controller.scheduledTime), scheduledJobs, webhookDeliveryJobs(channel));
  },
  async queue(batch, env) {
    const result = parseConfig(env);
    if (!result.ok) {
      console.error(JSON.stringify({ queue: batch.queue, error: 'configuration_invalid', problems: result.problems }));
      batch.retryAll({ delaySeconds: 60 });
      return;
    }
    await consumeDeliveryBatch(batch as MessageBatch<DeliveryMessage>, result.config);
  },
} satisfies ExportedHandler<Bindings>;
