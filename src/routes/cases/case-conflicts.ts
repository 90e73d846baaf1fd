import { allowedTransitions, type CaseStatus, type TransitionTarget } from '../../cases/workflow.js';
import { caseStanding, type CaseStanding } from '../../db/queries/cases.js';
import type { TenantRunner } from '../../db/tenant-runner.js';
import { staleVersion } from '../../http/etag.js';
import { notFound, ProblemError } from '../../http/problem.js';

/**
 * Why a change to a case matched nothing, from a second look at it: not visible (404),
 * visible but held by another station (403), changed since the ETag (412), or the rule
 * the change broke (409).
 */
/** Takes the second look at a case a change matched nothing of, and throws why. */
export async function refuseUnchangedCase(
  db: TenantRunner,
  caseId: string,
  expected: number[] | null,
  rule?: (standing: CaseStanding) => ProblemError | undefined,
): Promise<never> {
  const [{ rows }] = await db.batch((tx) => [caseStanding(tx, caseId)]);
  const standing = rows[0];
  throw explainUnchangedCase(caseId, standing, expected, standing && rule ? () => rule(standing) : undefined);
}

export function explainUnchangedCase(
  caseId: string,
  standing: CaseStanding | undefined,
  expected: number[] | null,
  rule?: () => ProblemError | undefined,
): ProblemError {
  if (!standing) return notFound(`case ${caseId}`);
  if (!standing.workable) {
    return new ProblemError('not_case_holder', `the case is held by ${standing.stationCode}; only its holder (or a supervisor above it) may change it`);
  }
  if (expected !== null && !expected.includes(standing.version)) return staleVersion();
  return rule?.() ?? staleVersion();
}

/** Why a move the workflow may allow was refused: not from this status (409), not for this caller (403), or no FIR yet (409). */
export function illegalTransition(standing: CaseStanding, to: TransitionTarget, permittedFrom: readonly CaseStatus[]): ProblemError | undefined {
  const allowed = allowedTransitions(standing.status);
  if (!allowed.includes(to)) {
    return new ProblemError('illegal_transition', `a ${standing.status} case can move to: ${allowed.join(', ') || 'nothing'}`, {
      members: { currentStatus: standing.status, allowedTransitions: allowed },
    });
  }
  if (!permittedFrom.includes(standing.status)) {
    const detail = standing.status === 'closed' ? 'reopening a closed case needs the cases:supervise permission' : `moving a ${standing.status} case to ${to} needs the cases:work permission`;
    return new ProblemError('forbidden', detail);
  }
  if (to === 'fir_registered' && !standing.hasFir) {
    return new ProblemError('fir_reference_missing', 'add the FIR number and sections as a reference (kind fir) before marking the FIR registered', {
      members: { currentStatus: standing.status, allowedTransitions: allowed },
    });
  }
  return undefined;
}
