import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listRoutingRules } from '../../db/queries/routing-rules.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { routingRuleSchema, toRoutingRule } from './routing-rule-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/routing-rules',
  operationId: 'listRoutingRules',
  tags: ['Cases'],
  summary: 'The unit\'s case routing rules, in the order they are tried',
  description: 'Anyone placed in the unit with cases:read may read them (they decide where a complaint goes). One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: unitPathSchema },
  responses: {
    200: { description: 'The rules.', content: { 'application/json': { schema: z.object({ data: z.array(routingRuleSchema) }).openapi('RoutingRuleList') } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listRoutingRulesRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  const [{ rows }] = await c.var.db.batch((db) => [listRoutingRules(db, unitCode)]);
  return c.json({ data: rows.map(toRoutingRule) }, 200);
});
