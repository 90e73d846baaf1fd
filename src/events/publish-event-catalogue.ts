import { z, type OpenAPIHono } from '@hono/zod-openapi';

type OpenAPIRegistry = OpenAPIHono['openAPIRegistry'];
import { eventCatalogue, eventEnvelopeSchema } from './catalogue.js';

const schemaName = (type: string) => `${type.split(/[._]/).map((word) => word[0]!.toUpperCase() + word.slice(1)).join('')}Event`;

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
      request: { body: { content: { 'application/json': { schema: eventEnvelopeSchema(z.literal(type), data).openapi(schemaName(type)) } } } },
      responses: { 200: { description: 'Any 2xx acknowledges the event.' } },
    });
  }
}
