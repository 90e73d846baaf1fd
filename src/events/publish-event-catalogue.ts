import { z, type OpenAPIHono } from '@hono/zod-openapi';

type OpenAPIRegistry = OpenAPIHono['openAPIRegistry'];
import { eventCatalogue, eventEnvelopeSchema } from './catalogue.js';

const schemaName = (type: string) => `${type.split(/[._]/).map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')}Event`;

/**
 * A delivery proves where it came from by its Standard Webhooks signature (src/webhooks/sign-delivery.ts),
 * not by a credential the receiver issued: hence `security: []` and these headers.
 */
const deliveryHeadersSchema = z.object({
  'webhook-id': z.string().max(100).openapi({ description: 'The message id: the same on every attempt of one delivery, so a receiver can drop repeats.', example: 'msg_2019030405060700000000001' }),
  'webhook-timestamp': z.string().max(20).openapi({ description: 'When this attempt was sent, in Unix seconds; refuse one too far from your clock.', example: '1764325200' }),
  'webhook-signature': z.string().max(1000).openapi({
    description: 'Space-separated `v1,<base64 HMAC-SHA256>` of `<webhook-id>.<webhook-timestamp>.<body>`, one per signing secret honoured (two during a rotation).',
  }),
});

/** The event catalogue under `webhooks:` in openapi.yaml: one entry per type, with the envelope and the type's data. */
export function publishEventCatalogue(registry: OpenAPIRegistry): void {
  for (const [type, { summary, data }] of Object.entries(eventCatalogue)) {
    registry.registerWebhook({
      method: 'post',
      path: type,
      operationId: `event:${type}`,
      tags: ['Events'],
      summary,
      description: `Read from \`GET /v1/events\` (the pull feed), in the envelope below. Ids, codes, step keys and times only: fetch the details with your own token.`,
      security: [],
      request: { headers: deliveryHeadersSchema, body: { content: { 'application/json': { schema: eventEnvelopeSchema(z.literal(type), data).openapi(schemaName(type)) } } } },
      responses: { 200: { description: 'Any 2xx acknowledges the event.' } },
    });
  }
}
