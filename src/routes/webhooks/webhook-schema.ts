import { z } from '@hono/zod-openapi';
import { outboundPolicy, type AppConfig } from '../../env.js';
import { EVENT_TYPES } from '../../events/catalogue.js';
import type { WebhookPlacement, WebhookSubscriptionRow } from '../../db/queries/webhook-subscriptions.js';
import { invalidField } from '../../http/problem.js';
import { tenancyCode, timestampSchema, toRfc3339 } from '../../http/schemas.js';
import { checkOutboundUrl } from '../../net/outbound-url.js';

export const webhookScopeSchema = z
  .discriminatedUnion('level', [
    z.object({ level: z.literal('unit') }).strict(),
    z.object({ level: z.literal('district'), districtCode: tenancyCode('MH-PUNE') }).strict(),
    z.object({ level: z.literal('station'), stationCode: tenancyCode('MH-PUNE-SHIVAJINAGAR') }).strict(),
  ])
  .openapi('WebhookScope', { description: 'Which of the unit\'s events are pushed: all of them, or one district\'s or station\'s.' });

export const webhookUrlSchema = z
  .string()
  .max(2048)
  .openapi({ description: 'https, to a public host, on port 443 (or a port the operator allows).', example: 'https://efir.example.gov.in/hooks/sop' });

export const eventTypesSchema = z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length);

export const webhookSubscriptionSchema = z
  .object({
    id: z.uuid(),
    unitCode: tenancyCode('MH'),
    scope: webhookScopeSchema,
    url: z.string(),
    eventTypes: z.array(z.string()),
    status: z.enum(['enabled', 'disabled']),
    disabledReason: z.string().nullable(),
    previousSecretExpiresAt: timestampSchema.nullable().openapi({
      description: 'A rotation\'s overlap: until then deliveries are signed with the previous secret as well as the new one. Null when none.',
    }),
    consecutiveFailures: z.number().int(),
    failingSince: timestampSchema.nullable(),
    version: z.number().int(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .openapi('WebhookSubscription');

export const signingSecretSchema = z.string().openapi({ description: 'Shown once: no read returns it again.', example: 'whsec_…' });

function scopeOf(row: WebhookSubscriptionRow): WebhookPlacement {
  if (row.scope === 'district') return { level: 'district', districtCode: row.districtCode! };
  if (row.scope === 'station') return { level: 'station', stationCode: row.stationCode! };
  return { level: 'unit' };
}

export function toWebhookSubscription(row: WebhookSubscriptionRow): z.infer<typeof webhookSubscriptionSchema> {
  return {
    id: row.id,
    unitCode: row.unitCode,
    scope: scopeOf(row),
    url: row.url,
    eventTypes: row.eventTypes,
    status: row.status,
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: row.previousSecretExpiresAt && toRfc3339(row.previousSecretExpiresAt),
    consecutiveFailures: row.consecutiveFailures,
    failingSince: row.failingSince && toRfc3339(row.failingSince),
    version: row.version,
    createdAt: toRfc3339(row.createdAt),
    updatedAt: toRfc3339(row.updatedAt),
  };
}

export const webhookPathSchema = z.object({
  unitCode: tenancyCode('MH').openapi({ param: { name: 'unitCode', in: 'path' } }),
  subscriptionId: z.uuid().openapi({ param: { name: 'subscriptionId', in: 'path' } }),
});

/** Deliveries go where identity providers' key sets may be fetched from (src/net/outbound-url.ts); checked again at delivery. */
export function deliverableUrl(url: string, config: AppConfig): string {
  const checked = checkOutboundUrl(url, outboundPolicy(config));
  if (!checked.ok) throw invalidField('/body/url', `url ${checked.reason}`);
  return checked.url.href;
}

export function placementLabel(placement: WebhookPlacement | undefined): string {
  if (placement?.level === 'district') return ` with district ${placement.districtCode}`;
  if (placement?.level === 'station') return ` with station ${placement.stationCode}`;
  return '';
}
