import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findRoutingRule, updateRoutingRule } from '../../db/queries/routing-rules.js';
import { etagOf, expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, conflictProblem, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { atLeastOneChange, tenancyCode } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { ruleConditions, routingRuleSchema, rulePathSchema, toRoutingRule } from './routing-rule-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'patch',
  path: '/units/{unitCode}/routing-rules/{ruleId}',
  operationId: 'updateRoutingRule',
  tags: ['Cases'],
  summary: 'Change a routing rule, or switch it off',
  description: 'Unit administrators only. Set a condition to null to drop it. Requires If-Match. Audited. Cases already routed stay where they are.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: {
    params: rulePathSchema,
    headers: ifMatchHeaderSchema,
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z
            .object({
              name: z.string().trim().min(1).max(200).optional(),
              priority: z.number().int().min(0).max(10000).optional(),
              active: z.boolean().optional(),
              minAmountPaid: ruleConditions.minAmountPaid.optional(),
              minAmountDemanded: ruleConditions.minAmountDemanded.optional(),
              victimIsMinor: ruleConditions.victimIsMinor.optional(),
              imagesCirculated: ruleConditions.imagesCirculated.optional(),
              platformsAny: ruleConditions.platformsAny.optional(),
              targetStationCode: tenancyCode('MH-PUNE-CYBER').optional(),
            })
            .strict()
            .refine(...atLeastOneChange),
        },
      },
    },
  },
  responses: {
    200: { description: 'Updated.', headers: etagHeaders, content: { 'application/json': { schema: routingRuleSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
    ...preconditionProblems,
  },
});

export const updateRoutingRuleRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, ruleId } = c.req.valid('param');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  const updated = await c.var.db.updateIfCurrent(
    (db) => updateRoutingRule(db, actorOf(c), unitCode, ruleId, c.req.valid('json'), version),
    (db) => findRoutingRule(db, unitCode, ruleId),
    `routing rule ${ruleId}`,
  );
  c.header('ETag', etagOf(updated.version));
  return c.json(toRoutingRule(updated), 200);
});
