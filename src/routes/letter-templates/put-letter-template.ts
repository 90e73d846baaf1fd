import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { createUnitLetterTemplate, findUnitLetterTemplate, replaceUnitLetterTemplate } from '../../db/queries/letter-templates.js';
import { etagOf, expectedVersion, staleVersion } from '../../http/etag.js';
import { authenticatedProblems, invalidField, notFound, notFoundProblem, preconditionProblems, ProblemError } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import {
  knownPlaceholdersText,
  letterTemplateInputSchema,
  letterTemplatePathSchema,
  letterTemplateSchema,
  toLetterTemplate,
  unknownPlaceholdersIn,
} from './letter-template-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'put',
  path: '/units/{unitCode}/letter-templates/{kind}',
  operationId: 'putLetterTemplate',
  tags: ['Platforms'],
  summary: 'Create or replace the unit\'s own letter for a kind of request',
  description:
    'Unit administrators only. The unit\'s template takes the place of the shipped one for the kind. **Without If-Match** the ' +
    'request creates it (201) and is refused with 428 when the unit already has one, so two administrators cannot overwrite ' +
    'each other unawares. **With If-Match** (the ETag of the unit\'s template, or `*`) it replaces it (200); 412 when it changed, ' +
    'or when the unit has no template of its own to replace (the shipped one is never written here). A placeholder the drafts ' +
    `do not fill is refused with 400 naming it; the known ones are ${knownPlaceholdersText}. Requests already drafted keep their ` +
    'letters. Audited; one database round trip.',
  security: callersWith('tenancy:manage'),
  middleware: requirePermission('tenancy:manage'),
  request: {
    params: letterTemplatePathSchema,
    headers: z.object({
      'if-match': z
        .string()
        .max(100)
        .optional()
        .openapi({
          param: { name: 'if-match', in: 'header' },
          description: 'Absent: create the unit\'s template. The ETag of the unit\'s template (e.g. `"v2"`) or `*`: replace it.',
          example: '"v2"',
        }),
    }),
    body: { required: true, content: { 'application/json': { schema: letterTemplateInputSchema } } },
  },
  responses: {
    200: { description: 'Replaced.', headers: etagHeaders, content: { 'application/json': { schema: letterTemplateSchema } } },
    201: { description: 'Created.', headers: etagHeaders, content: { 'application/json': { schema: letterTemplateSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...preconditionProblems,
  },
});

export const putLetterTemplateRoute = createRouter().openapi(route, async (c) => {
  const { unitCode, kind } = c.req.valid('param');
  const { body } = c.req.valid('json');
  const ifMatch = c.req.valid('header')['if-match'];
  const { tenancy } = c.var.principal;
  if (tenancy.level === 'platform' || tenancy.unitCode !== unitCode) throw notFound(`unit ${unitCode}`);
  const unknown = unknownPlaceholdersIn(body);
  if (unknown.length > 0) {
    throw invalidField('/body/body', `unknown placeholders ${unknown.map((name) => `{{${name}}}`).join(', ')}: the known ones are ${knownPlaceholdersText}`);
  }

  if (ifMatch === undefined) {
    const [{ rows }] = await c.var.db.batch((db) => [createUnitLetterTemplate(db, actorOf(c), unitCode, kind, body)]);
    if (!rows[0]) {
      throw new ProblemError('precondition_required', `unit ${unitCode} already has its own ${kind} template: send If-Match with its ETag to replace it`);
    }
    c.header('ETag', etagOf(rows[0].version));
    return c.json(toLetterTemplate(rows[0]), 201);
  }

  const expected = expectedVersion(ifMatch);
  const [{ rows }] = await c.var.db.batch((db) => [replaceUnitLetterTemplate(db, actorOf(c), unitCode, kind, body, expected)]);
  if (!rows[0]) {
    const [{ rows: own }] = await c.var.db.batch((db) => [findUnitLetterTemplate(db, unitCode, kind)]);
    if (own[0]) throw staleVersion();
    throw new ProblemError('precondition_failed', `unit ${unitCode} has no ${kind} template of its own: send the PUT without If-Match to create one`);
  }
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toLetterTemplate(rows[0]), 200);
});
