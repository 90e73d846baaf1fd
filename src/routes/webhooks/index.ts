import { createRouter } from '../router.js';
import { createWebhookRoute } from './create-webhook.js';
import { disableWebhookRoute } from './disable-webhook.js';
import { enableWebhookRoute } from './enable-webhook.js';
import { getWebhookRoute } from './get-webhook.js';
import { getWebhookDeliveryRoute } from './get-webhook-delivery.js';
import { listWebhookDeliveriesRoute } from './list-webhook-deliveries.js';
import { listWebhooksRoute } from './list-webhooks.js';
import { replayWebhookEventsRoute } from './replay-webhook-events.js';
import { revokePreviousWebhookSecretRoute } from './revoke-previous-webhook-secret.js';
import { rotateWebhookSecretRoute } from './rotate-webhook-secret.js';
import { updateWebhookRoute } from './update-webhook.js';

export const webhookRoutes = createRouter()
  .route('/', listWebhooksRoute)
  .route('/', createWebhookRoute)
  .route('/', getWebhookRoute)
  .route('/', updateWebhookRoute)
  .route('/', rotateWebhookSecretRoute)
  .route('/', revokePreviousWebhookSecretRoute)
  .route('/', disableWebhookRoute)
  .route('/', enableWebhookRoute)
  .route('/', listWebhookDeliveriesRoute)
  .route('/', getWebhookDeliveryRoute)
  .route('/', replayWebhookEventsRoute);
