import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { createRoutingRule } from '../../db/queries/routing-rules.js';
import { etagOf } from '../../http/etag.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { routingRuleInputSchema, routingRuleSchema, toRoutingRule } from './routing-rule-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/units/{unitCode}/routing-rules',
  operationId: 'createRoutingRule',
  tags: ['Cases'],
  summary: 'Add a rule that sends matching new cases to a station',
  description:
    'Unit administrators only. Every condition set must hold; at intake the first active matching rule (lowest priority) sends ' +
    'the case to its target station, e.g. paid at least ₹50,000 → the cyber crime police station. Audited.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: {
    params: unitPathSchema,
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: routingRuleInputSchema } } },
  },
  responses: {
    201: { description: 'Created.', headers: etagHeaders, content: { 'application/json': { schema: routingRuleSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const createRoutingRuleRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const rule = c.req.valid('json');
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: rule });
  const { rows } = await c.var.db.change(idempotency, (db) => createRoutingRule(db, actorOf(c, idempotency), unitCode, rule));
  if (!rows[0]) throw notFound(`station ${rule.targetStationCode} in unit ${unitCode}`);
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toRoutingRule(rows[0]), 201);
});
