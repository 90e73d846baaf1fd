import { transitionRefusal, whyUnchanged, type CaseRefusal, type CaseStanding } from '../../cases/refusals.js';
import type { CaseStatus, TransitionTarget } from '../../cases/workflow.js';
import { caseStanding } from '../../db/queries/cases.js';
import type { TenantRunner } from '../../db/tenant-runner.js';
import { staleVersion } from '../../http/etag.js';
import { notFound, ProblemError } from '../../http/problem.js';

/** A refusal of a change to a case, as the client hears it. */
export function problemOf(refusal: CaseRefusal): ProblemError {
  switch (refusal.refusal) {
    case 'not_visible':
      return notFound(refusal.what);
    case 'not_holder':
      return new ProblemError('not_case_holder', `the case is held by ${refusal.holder}; only its holder (or a supervisor above it) may change it`);
    case 'changed_since_read':
      return staleVersion();
    case 'illegal_transition':
      return new ProblemError('illegal_transition', `a ${refusal.currentStatus} case can move to: ${refusal.allowed.join(', ') || 'nothing'}`, {
        members: { currentStatus: refusal.currentStatus, allowedTransitions: refusal.allowed },
      });
    case 'needs_permission':
      return new ProblemError(
        'forbidden',
        refusal.currentStatus === 'closed'
          ? 'reopening a closed case needs the cases:supervise permission'
          : `moving a ${refusal.currentStatus} case to ${refusal.to} needs the ${refusal.permission} permission`,
      );
    case 'fir_reference_missing':
      return new ProblemError('fir_reference_missing', 'add the FIR number and sections as a reference (kind fir) before marking the FIR registered', {
        members: { currentStatus: refusal.currentStatus, allowedTransitions: refusal.allowed },
      });
    case 'case_closed':
      return new ProblemError('case_closed', refusal.why);
    case 'already_there':
      return new ProblemError('already_there', `the case is already held by ${refusal.stationCode}`);
  }
}

/** Takes the second look at a case a change matched nothing of, and throws why. */
export async function refuseUnchangedCase(
  db: TenantRunner,
  caseId: string,
  expected: number[] | null,
  rule?: (standing: CaseStanding) => CaseRefusal | undefined,
): Promise<never> {
  const [{ rows }] = await db.batch((tx) => [caseStanding(tx, caseId)]);
  throw problemOf(whyUnchanged(caseId, rows[0], expected, rule));
}

/** The rule a transition breaks, if any, for refuseUnchangedCase. */
export function illegalTransition(to: TransitionTarget, permittedFrom: readonly CaseStatus[]) {
  return (standing: CaseStanding) => transitionRefusal(standing, to, permittedFrom);
}
