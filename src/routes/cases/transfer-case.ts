import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { caseStanding, stationInCurrentUnit, transferCase } from '../../db/queries/cases.js';
import { etagOf, optionalIfMatchHeaderSchema } from '../../http/etag.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem, stalePreconditionProblem } from '../../http/problem.js';
import { tenancyCode } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { whyUnchanged } from '../../cases/refusals.js';
import { problemOf } from './case-conflicts.js';
import { casePathSchema, caseSchema, toCase } from './case-schema.js';
import { optionalVersion } from './optional-version.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders } from '../../http/response-headers.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/transfer',
  operationId: 'transferCase',
  tags: ['Cases'],
  summary: 'Transfer a case to another station of the unit',
  description:
    'For the holder\'s station house officer or a supervisor (cases:supervise): e.g. to the cyber crime police station. The case ' +
    'becomes `transferred` and unassigned; the stations and districts that held it keep reading it. A closed case is not ' +
    'transferred. Audited; one database round trip.',
  security: callersWith('cases:supervise'),
  middleware: requirePermission('cases:supervise'),
  request: {
    params: casePathSchema,
    headers: idempotencyHeaderSchema.extend(optionalIfMatchHeaderSchema.shape),
    body: {
      required: true,
      content: {
        'application/json': {
          schema: z.object({ toStationCode: tenancyCode('MH-PUNE-CYBER'), reason: z.string().trim().min(1).max(2000) }).strict(),
        },
      },
    },
  },
  responses: {
    200: { description: 'The case at its new station.', headers: etagHeaders, content: { 'application/json': { schema: caseSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
    ...stalePreconditionProblem,
  },
});

export const transferCaseRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const body = c.req.valid('json');
  const headers = c.req.valid('header');
  const expected = optionalVersion(headers['if-match']);
  const idempotency = await idempotencyOf(c.var.principal, headers['idempotency-key'], { method: 'POST', path: c.req.path, payload: body });
  const { rows } = await c.var.db.change(idempotency, (db) => transferCase(db, actorOf(c, idempotency), caseId, body, expected));
  if (!rows[0]) {
    const [{ rows: standing }, { rows: target }] = await c.var.db.batch((db) => [caseStanding(db, caseId), stationInCurrentUnit(db, body.toStationCode)]);
    throw problemOf(
      whyUnchanged(caseId, standing[0], expected, (found) => {
        if (!target[0]) return { refusal: 'not_visible', what: `station ${body.toStationCode} in your unit` };
        if (found.status === 'closed') return { refusal: 'case_closed', why: 'a closed case is not transferred; reopen it first' };
        return { refusal: 'already_there', stationCode: body.toStationCode };
      }),
    );
  }
  c.header('ETag', etagOf(rows[0].version));
  return c.json(toCase(rows[0], c.var.principal), 200);
});
