import { createRoute, z } from '@hono/zod-openapi';
import { v7 as uuidv7 } from 'uuid';
import { requirePermission } from '../../auth/require-auth.js';
import { caseIntake } from '../../cases/intake.js';
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
  toCase,
  victimSchema,
} from './case-schema.js';
import { callersWith } from '../../http/security.js';
import { etagHeaders, locationHeader } from '../../http/response-headers.js';

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
  security: callersWith('cases:report'),
  middleware: requirePermission('cases:report'),
  request: {
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: intakeSchema } } },
  },
  responses: {
    201: { description: 'Recorded.', headers: { ...etagHeaders, ...locationHeader }, content: { 'application/json': { schema: caseSchema } } },
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
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: body });
  const intake = caseIntake(body, stationCode, c.var.principal.subject);
  const { rows } = await c.var.db.change(idempotency, (db) => reportCase(db, actorOf(c, idempotency), uuidv7(), intake));
  const reported = rows[0];
  if (!reported) throw notFound(`station ${stationCode}`);
  c.header('ETag', etagOf(reported.version));
  c.header('Location', `/v1/cases/${reported.id}`);
  return c.json(toCase(reported, c.var.principal), 201);
});

