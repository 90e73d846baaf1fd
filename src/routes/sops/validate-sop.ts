import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../auth/require-auth.js';
import { findSopVersion, knownProvisionCodes, resolvedStepsOf, type SopVersionRow } from '../../db/queries/sop-versions.js';
import { authenticatedProblems, conflictProblem, notFound, notFoundProblem, ProblemError, type FieldError } from '../../http/problem.js';
import { validateSop } from '../../sop/validate-sop.js';
import type { TenantRunner } from '../../db/tenant-runner.js';
import { createRouter } from '../router.js';
import { sopPathSchema } from './sop-schema.js';
import { callersWith } from '../../http/security.js';

const route = createRoute({
  method: 'post',
  path: '/sops/{sopId}/validate',
  operationId: 'validateSop',
  tags: ['SOP'],
  summary: 'Check that a version composes to a usable SOP',
  description:
    'Composes the version as a case would get it, then checks every step: known roles, dependencies that exist, no cycles ' +
    '(through dependencies or step-completed triggers), conditions a case can meet, known legal provisions, escalation chains ' +
    'that go up. A problem is a 422 listing each, pointed at `/steps/<key>/<field>`. One database round trip.',
  security: callersWith('cases:read'),
  middleware: requirePermission('cases:read'),
  request: { params: sopPathSchema },
  responses: {
    200: { description: 'Usable.', content: { 'application/json': { schema: z.object({ valid: z.literal(true), steps: z.number().int() }).openapi('SopValidation') } } },
    ...authenticatedProblems,
    ...notFoundProblem,
    ...conflictProblem,
  },
});

/** The composed steps of a visible version, checked; throws 404 or 422. */
export async function checkedSop(db: TenantRunner, sopId: string) {
  const [{ rows }, { rows: steps }, { rows: provisions }] = await db.batch((tx) => [findSopVersion(tx, sopId), resolvedStepsOf(tx, sopId), knownProvisionCodes(tx)]);
  if (!rows[0]) throw notFound(`SOP version ${sopId}`);
  const errors = [
    ...validateSop(
      steps,
      new Set(provisions.map((provision) => provision.code)),
      new Set(provisions.filter((provision) => provision.timed).map((provision) => provision.code)),
    ),
    ...stationKeysTaken(rows[0], steps),
  ];
  if (errors.length > 0) {
    throw new ProblemError('sop_invalid', `${errors.length} problem(s) in the composed SOP`, { errors });
  }
  return { version: rows[0], steps };
}

/** A station's step under a key the base or the overlay already uses would be dropped when composed: refused instead. */
function stationKeysTaken(version: SopVersionRow, composed: Array<{ key: string; step: unknown }>): FieldError[] {
  if (version.layer !== 'station') return [];
  const stationSteps = ((version.body as { steps?: Array<{ key: string }> }).steps ?? []);
  return stationSteps
    .filter((step) => JSON.stringify(composed.find((resolved) => resolved.key === step.key)?.step) !== JSON.stringify(step))
    .map((step) => ({ pointer: `/steps/${step.key}`, detail: `the base or the unit's overlay already has a step ${step.key}: choose another key` }));
}

export const validateSopRoute = createRouter().openapi(route, async (c) => {
  const { steps } = await checkedSop(c.var.db, c.req.valid('param').sopId);
  return c.json({ valid: true as const, steps: steps.length }, 200);
});
