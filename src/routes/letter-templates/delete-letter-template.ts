import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { deleteUnitLetterTemplate, findUnitLetterTemplate } from '../../db/queries/letter-templates.js';
import { expectedVersion, ifMatchHeaderSchema } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem, preconditionProblems } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { letterTemplatePathSchema } from './letter-template-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'delete',
  path: '/units/{unitCode}/letter-templates/{kind}',
  operationId: 'deleteLetterTemplate',
  tags: ['Platforms'],
  summary: 'Remove the unit\'s own letter, falling back to the shipped one',
  description:
    'Unit administrators only. Requires If-Match (the ETag of the unit\'s template, or `*`). Afterwards requests of the kind ' +
    'are drafted from the shipped template again. 404 when the unit has no template of its own for the kind. Requests already ' +
    'drafted keep their letters. Audited.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: { params: letterTemplatePathSchema, headers: ifMatchHeaderSchema },
  responses: {
    204: { description: 'Removed.' },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const deleteLetterTemplateRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, kind } = c.req.valid('param');
  const version = expectedVersion(c.req.valid('header')['if-match']);
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  await c.var.db.updateIfCurrent(
    (db) => deleteUnitLetterTemplate(db, actorOf(c), unitCode, kind, version),
    (db) => findUnitLetterTemplate(db, unitCode, kind),
    `own ${kind} template in unit ${unitCode}`,
  );
  return c.body(null, 204);
});
