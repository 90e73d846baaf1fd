import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { addPayment } from '../../db/queries/case-records.js';
import { syncChecklist } from '../../db/queries/case-steps.js';
import { followedBy } from '../../db/tenant-runner.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem } from '../../http/problem.js';
import { actorOf } from '../actor.js';
import { paymentInput, storedIdentifiers } from '../../cases/intake.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema, paymentInputSchema, paymentSchema, seesPersonalData, toPayment } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/payments',
  operationId: 'addCasePayment',
  tags: ['Cases'],
  summary: 'Record a payment the victim made',
  description:
    'Amount, currency, time, UTR/transaction reference, payer and payee. Adds to the case\'s paid total (changing its ETag) and ' +
    'records the payee as a suspect identifier. A first payment starts the SOP steps a payment triggers (the 1930 golden hour). ' +
    'Audited; one database round trip.',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: casePathSchema,
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: paymentInputSchema } } },
  },
  responses: {
    201: { description: 'Recorded.', content: { 'application/json': { schema: paymentSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const addPaymentRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const body = c.req.valid('json');
  const payment = paymentInput(body);
  const payee = body.payee ? storedIdentifiers(body.payee, 'payment')[0]! : null;
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: payment });
  const { rows } = await c.var.db.change(idempotency, (db) => followedBy(addPayment(db, actorOf(c, idempotency), caseId, payment, payee), syncChecklist(db, actorOf(c), caseId)));
  if (!rows[0]) {
    return refuseUnchangedCase(c.var.db, caseId, null);
  }
  return c.json(toPayment(rows[0].payment, seesPersonalData(c.var.principal)), 201);
});
