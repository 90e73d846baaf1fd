import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { contradictsRecordedAge, type SafetyScreen } from '../../cases/safety-screen.js';
import { recordSafetyScreen } from '../../db/queries/case-records.js';
import { findCase } from '../../db/queries/cases.js';
import { syncChecklist } from '../../db/queries/case-steps.js';
import { followedBy } from '../../db/tenant-runner.js';
import { idempotencyHeaderSchema, idempotencyOf } from '../../http/idempotency.js';
import { authenticatedProblems, conflictProblem, notFoundProblem, ProblemError } from '../../http/problem.js';
import { SAFETY_RISK_LEVELS } from '../../sop/vocabulary.js';
import { actorOf } from '../actor.js';
import { createRouter } from '../router.js';
import { refuseUnchangedCase } from './case-conflicts.js';
import { casePathSchema, safetyScreenSchema, seesPersonalData, toSafetyScreen } from './case-schema.js';
import { callersWith } from '../../http/security.js';

const screenInputSchema = z
  .object({
    riskLevel: z.enum(SAFETY_RISK_LEVELS).openapi({ description: 'high: a risk of self-harm or to life, which hands the victim over to Tele-MANAS (14416) or 112 at once.' }),
    victimIsMinor: z.boolean().optional().openapi({ description: 'What the screen found; changes the case\'s minor flag (and its POCSO path) when given.' }),
    neverContactThroughFamily: z.boolean().openapi({ description: 'Never reach the victim through their family.' }),
    consentToContact: z.boolean().openapi({ description: 'The victim agrees to be contacted by the police about the case.' }),
  })
  .strict()
  .openapi('SafetyScreenInput', { example: { riskLevel: 'high', victimIsMinor: true, neverContactThroughFamily: true, consentToContact: true } });

const route = createRoute({
  method: 'post',
  path: '/cases/{caseId}/safety-screen',
  operationId: 'recordSafetyScreen',
  tags: ['Cases'],
  summary: 'Record the victim-safety screen',
  description:
    'The screen of the first fifteen minutes: the risk found, whether the victim is a minor, whether the family must never be ' +
    'the way to reach them, and consent to be contacted. It completes the victim-safety step. A high risk adds the immediate ' +
    'hand-over step (Tele-MANAS 14416 / 112, escalating within minutes) and an emergency disclosure step for each platform ' +
    'involved; a minor adds the POCSO path. A later screen replaces the earlier one. Audited with the risk level only; ' +
    'one database round trip.',
  security: callersWith('cases:work'),
  middleware: requirePermission('cases:work'),
  request: {
    params: casePathSchema,
    headers: idempotencyHeaderSchema,
    body: { required: true, content: { 'application/json': { schema: screenInputSchema } } },
  },
  responses: {
    201: { description: 'Recorded; the checklist follows it.', content: { 'application/json': { schema: safetyScreenSchema } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

export const recordSafetyScreenRoute = createRouter().openapi(route, async (c) => {
  const { caseId } = c.req.valid('param');
  const body = c.req.valid('json');
  const screen: SafetyScreen = {
    riskLevel: body.riskLevel,
    victimIsMinor: body.victimIsMinor ?? null,
    neverContactThroughFamily: body.neverContactThroughFamily,
    consentToContact: body.consentToContact,
  };
  const idempotency = await idempotencyOf(c.var.principal, c.req.valid('header')['idempotency-key'], { method: 'POST', path: c.req.path, payload: screen });
  const { rows } = await c.var.db.change(idempotency, (db) =>
    followedBy(recordSafetyScreen(db, actorOf(c, idempotency), caseId, screen), syncChecklist(db, actorOf(c), caseId)),
  );
  if (!rows[0]) {
    const [{ rows: found }] = await c.var.db.batch((db) => [findCase(db, caseId)]);
    if (found[0] && found[0].status !== 'closed' && contradictsRecordedAge(screen, found[0].victim)) {
      throw new ProblemError('validation_failed', 'the screen says the victim is a minor, or not, against the age recorded on the case: correct the victim first', {
        errors: [{ pointer: '/body/victimIsMinor', detail: 'contradicts the victim\'s recorded age' }],
      });
    }
    return refuseUnchangedCase(c.var.db, caseId, null);
  }
  return c.json(toSafetyScreen(rows[0].safetyScreen, seesPersonalData(c.var.principal))!, 201);
});
