import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findLetterTemplate } from '../../db/queries/letter-templates.js';
import { etagOf } from '../../http/etag.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { createRouter } from '../router.js';
import { letterTemplatePathSchema, letterTemplateSchema, toLetterTemplate } from './letter-template-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/letter-templates/{kind}',
  operationId: 'getLetterTemplate',
  tags: ['Platforms'],
  summary: 'The letter one kind of request is drafted from',
  description:
    'The unit\'s own template for the kind, else the shipped one. The ETag is given for the unit\'s own template only: it is ' +
    'what If-Match names when replacing or deleting it. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: letterTemplatePathSchema },
  responses: {
    200: { description: 'The template.', headers: etagHeaders, content: { 'application/json': { schema: letterTemplateSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const getLetterTemplateRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, kind } = c.req.valid('param');
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  const [{ rows }] = await c.var.db.batch((db) => [findLetterTemplate(db, unitCode, kind)]);
  if (!rows[0]) throw notFound(`letter template for ${kind} in unit ${unitCode}`);
  if (rows[0].source === 'unit') c.header('ETag', etagOf(rows[0].version));
  return c.json(toLetterTemplate(rows[0]), 200);
});
