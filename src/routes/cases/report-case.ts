import { createRoute, z } from '@hono/zod-openapi';
import { v7 as uuidv7 } from 'uuid';
import { requirePermission } from '../../auth/require-auth.js';
import { reportCase } from '../../db/queries/cases.js';
import { etagOf } from '../../http/etag.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, invalidField, notFound, notFoundProblem } from '../../http/problem.js';
import { tenancyCode } from '../../http/schemas.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import {
  caseSchema,
  complainantSchema,
  currencySchema,
  incidentSchema,
  normalizedIdentifierSchema,
  paymentInputSchema,
  storedIdentifiers,
  toCase,
  victimSchema,
} from './case-schema.js';

export const intakeSchema = z
  .object({
    stationCode: tenancyCode('MH-PUNE-SHIVAJINAGAR').optional().openapi({ description: 'Where the complaint is made; defaults to the caller\'s own station.' }),
    complainant: complainantSchema,
    victim: victimSchema.openapi({ description: 'Age or isMinor is required; the name may be left out when the complainant is the victim.' }),
    incident: incidentSchema,
    currency: currencySchema,
    identifiers: z.array(normalizedIdentifierSchema).max(100).default([]),
    payments: z.array(paymentInputSchema).max(100).default([]),
    narrative: z.string().trim().max(20000).default(''),
  })
  .strict();

const route = createRoute({
  method: 'post',
  path: '/cases',
  operationId: 'reportCase',
  tags: ['Cases'],
  summary: 'Record a sextortion complaint',
  description:
    'Intake while the victim is at the station: complainant, victim, incident, suspect identifiers (normalised; a profile link ' +
    'also records the handle it names), payments (the payee also becomes a suspect identifier) and narrative. The unit\'s first ' +
    'matching routing rule may send the case straight to another station (status `transferred`). Audited; one database round trip.',
  security: [{ bearerAuth: [] }],
  middleware: requirePermission('cases:report'),
  request: {
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: intakeSchema } } },
  },
  responses: {
    201: { description: 'Recorded.', content: { 'application/json': { schema: caseSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const reportCaseRoute = createRouter().openapi(route, async (c) => {
  const body = c.req.valid('json');
  const { tenancy } = c.var.principal;
  const stationCode = body.stationCode ?? (tenancy.level === 'station' ? tenancy.stationCode : undefined);
  if (!stationCode) throw invalidField('/body/stationCode', 'name the station where the complaint is made');
  const { victim } = body;
  const identifiers = [
    ...body.identifiers.flatMap((identifier) => storedIdentifiers(identifier, 'intake')),
    ...body.payments.flatMap((payment) => (payment.payee ? storedIdentifiers(payment.payee, 'payment') : [])),
  ].filter((identifier, index, all) => all.findIndex((other) => other.kind === identifier.kind && other.normalized === identifier.normalized) === index);
  const paid = body.payments.filter((payment) => payment.currency === body.currency).reduce((sum, payment) => sum + Math.round(Number(payment.amount) * 100), 0);

  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: body });
  const { rows } = await c.var.db.change(idempotency, (db) =>
    reportCase(db, actorOf(c, idempotency), uuidv7(), {
      stationCode,
      reportedBy: c.var.principal.subject,
      complainant: body.complainant,
      victim,
      victimIsMinor: victim.isMinor ?? (victim.age !== undefined && victim.age < 18),
      incident: body.incident,
      platforms: body.incident.platforms,
      imagesCirculated: body.incident.imagesCirculated,
      amountDemanded: body.incident.amountDemanded ?? null,
      amountPaid: (paid / 100).toFixed(2),
      currency: body.currency,
      narrative: body.narrative,
      identifiers,
      payments: body.payments.map((payment) => ({
        amount: payment.amount,
        currency: payment.currency,
        paidAt: payment.paidAt,
        method: payment.method,
        reference: payment.reference ?? null,
        payer: payment.payer ?? null,
        payee: payment.payee?.normalized ?? null,
      })),
    }),
  );
  const reported = rows[0];
  if (!reported) throw notFound(`station ${stationCode}`);
  c.header('ETag', etagOf(reported.version));
  c.header('Location', `/v1/cases/${reported.id}`);
  return c.json(toCase(reported, c.var.principal), 201);
});

