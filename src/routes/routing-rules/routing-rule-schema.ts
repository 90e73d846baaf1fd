import { z } from '@hono/zod-openapi';
import type { RoutingRuleRow } from '../../db/queries/routing-rules.js';
import { tenancyCode, timestampSchema, toRfc3339, unitPathSchema } from '../../http/schemas.js';
import { formatMoney, moneySchema, platformField } from '../cases/case-schema.js';

export const ruleConditions = {
  minAmountPaid: moneySchema.nullable().openapi({ description: 'Matches when the victim paid at least this much.' }),
  minAmountDemanded: moneySchema.nullable().openapi({ description: 'Matches when at least this much was demanded.' }),
  victimIsMinor: z.boolean().nullable(),
  imagesCirculated: z.boolean().nullable(),
  platformsAny: z.array(platformField).min(1).max(20).nullable().openapi({ description: 'Matches when any of these platforms is involved.' }),
};

export const routingRuleInputSchema = z
  .object({
    name: z.string().trim().min(1).max(200).openapi({ example: 'Paid ₹50,000 or more → Cyber PS' }),
    priority: z.number().int().min(0).max(10000).openapi({ description: 'Lower runs first; the first matching active rule applies.' }),
    active: z.boolean().default(true),
    minAmountPaid: ruleConditions.minAmountPaid.default(null),
    minAmountDemanded: ruleConditions.minAmountDemanded.default(null),
    victimIsMinor: ruleConditions.victimIsMinor.default(null),
    imagesCirculated: ruleConditions.imagesCirculated.default(null),
    platformsAny: ruleConditions.platformsAny.default(null),
    targetStationCode: tenancyCode('MH-PUNE-CYBER'),
  })
  .strict()
  .refine(
    (rule) => [rule.minAmountPaid, rule.minAmountDemanded, rule.victimIsMinor, rule.imagesCirculated, rule.platformsAny].some((condition) => condition !== null),
    { message: 'a rule sets at least one condition; a rule matching every case would move every case', path: ['minAmountPaid'] },
  )
  .openapi('RoutingRuleInput');

export const routingRuleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    priority: z.number().int(),
    active: z.boolean(),
    minAmountPaid: z.string().nullable(),
    minAmountDemanded: z.string().nullable(),
    victimIsMinor: z.boolean().nullable(),
    imagesCirculated: z.boolean().nullable(),
    platformsAny: z.array(z.string()).nullable(),
    targetStationCode: z.string(),
    version: z.number().int(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .openapi('RoutingRule');

export const rulePathSchema = unitPathSchema.extend({ ruleId: z.uuid().openapi({ param: { name: 'ruleId', in: 'path' } }) });

export function toRoutingRule(row: RoutingRuleRow): z.infer<typeof routingRuleSchema> {
  return {
    id: row.id,
    name: row.name,
    priority: row.priority,
    active: row.active,
    victimIsMinor: row.victimIsMinor,
    imagesCirculated: row.imagesCirculated,
    platformsAny: row.platformsAny,
    targetStationCode: row.targetStationCode,
    version: row.version,
    minAmountPaid: formatMoney(row.minAmountPaid),
    minAmountDemanded: formatMoney(row.minAmountDemanded),
    createdAt: toRfc3339(row.createdAt),
    updatedAt: toRfc3339(row.updatedAt),
  };
}
