import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { deleteRoutingRule, findRoutingRule } from '../../db/queries/routing-rules.js';
import { expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { rulePathSchema } from './routing-rule-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'delete',
  path: '/units/{unitCode}/routing-rules/{ruleId}',
  operationId: 'deleteRoutingRule',
  tags: ['Cases'],
  summary: 'Remove a routing rule',
  description: 'Unit administrators only. Requires If-Match. Audited; cases it routed keep `routedBy` with its name.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: { params: rulePathSchema, headers: ifMatchHeaderSchema },
  responses: {
    204: { description: 'Removed.' },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const deleteRoutingRuleRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, ruleId } = c.req.valid('param');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  await c.var.db.updateIfCurrent(
    (db) => deleteRoutingRule(db, actorOf(c), unitCode, ruleId, version),
    (db) => findRoutingRule(db, unitCode, ruleId),
    `routing rule ${ruleId}`,
  );
  return c.body(null, 204);
});
