import openApiDocument from '../openapi.yaml';
import { createApp } from './app.js';
import { parseConfig } from './env.js';
import { runScheduledWork } from './scheduled.js';

const app = createApp({ openApiDocument });

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    const result = parseConfig(env);
    if (!result.ok) {
      console.error(JSON.stringify({ scheduled: controller.cron, error: 'configuration_invalid', problems: result.problems }));
      return;
    }
    await runScheduledWork(result.config, new Date(controller.scheduledTime));
  },
} satisfies ExportedHandler<Record<string, unknown>>;
