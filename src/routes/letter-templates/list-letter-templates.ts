import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { listLetterTemplates } from '../../db/queries/letter-templates.js';
import { authenticatedProblems, notFound, notFoundProblem } from '../../http/problem.js';
import { unitPathSchema } from '../../http/schemas.js';
import { createRouter } from '../router.js';
import { letterTemplateSchema, toLetterTemplate } from './letter-template-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'get',
  path: '/units/{unitCode}/letter-templates',
  operationId: 'listLetterTemplates',
  tags: ['Platforms'],
  summary: 'The letter each kind of request is drafted from',
  description:
    'One template per request kind: the unit\'s own where it has one, else the shipped default (`source` says which). ' +
    'Anyone placed in the unit with cases:read. Six kinds, so no pagination. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: unitPathSchema },
  responses: {
    200: {
      description: 'The templates, by kind.',
      content: { 'application/json': { schema: z.object({ data: z.array(letterTemplateSchema) }).openapi('LetterTemplateList') } },
    },
    ...authenticatedProblems,
    ...notFoundProblem,
  },
});

export const listLetterTemplatesRoute = createRouter().openapi(route, async (c) => {
  const { unitCode } = c.req.valid('param');
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  const [{ rows }] = await c.var.db.batch((db) => [listLetterTemplates(db, unitCode)]);
  return c.json({ data: rows.map(toLetterTemplate) }, 200);
});
