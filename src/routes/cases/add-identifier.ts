import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { addIdentifier } from '../../db/queries/case-records.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { storedIdentifiers } from '../../cases/intake.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema, identifierSchema, normalizedIdentifierSchema, toIdentifier } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/identifiers',
  operationId: 'addCaseIdentifier',
  tags: ['Cases'],
  summary: 'Record a suspect identifier',
  description:
    'Phone (stored in E.164), UPI address, bank account + IFSC, e-mail, platform handle, numeric platform account id, URL or IMEI; ' +
    'normalised so cases sharing it are found, with what was given kept. A profile link also records the handle or id it names. ' +
    'The same identifier twice on a case is 409. Audited; one database round trip.',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: casePathSchema,
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: normalizedIdentifierSchema } } },
  },
  responses: {
    201: { description: 'Recorded.', content: { 'application/json': { schema: identifierSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const addIdentifierRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const [identifier, ...derived] = storedIdentifiers(c.req.valid('json'), 'added');
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: identifier });
  const { rows } = await c.var.db.change(idempotency, (db) => addIdentifier(db, actorOf(c, idempotency), caseId, identifier!, derived));
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, null);
  }
  return c.json(toIdentifier(rows[0].identifier), 201);
});

