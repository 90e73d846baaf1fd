import { allowedTransitions, type CaseStatus, type TransitionTarget } from './workflow.js';

/** What a second look at a case tells about a change that matched nothing. */
export type CaseStanding = { status: CaseStatus; version: number; workable: boolean; hasFir: boolean; stationCode: string };

/** Why a change to a case was refused, in the case's own terms (the routes say it in HTTP). */
export type CaseRefusal =
  | { refusal: 'not_visible'; what: string }
  | { refusal: 'not_holder'; holder: string }
  | { refusal: 'changed_since_read' }
  | { refusal: 'illegal_transition'; currentStatus: CaseStatus; allowed: readonly TransitionTarget[] }
  | { refusal: 'needs_permission'; permission: 'cases:supervise' | 'cases:work'; currentStatus: CaseStatus; to: TransitionTarget }
  | { refusal: 'fir_reference_missing'; currentStatus: CaseStatus; allowed: readonly TransitionTarget[] }
  | { refusal: 'case_closed'; why: string }
  | { refusal: 'already_there'; stationCode: string };

/**
 * Why a change matched nothing: the case is not visible, held by another station, changed
 * since the ETag, or (else) the rule the change broke; without a rule, changed since read.
 */
export function whyUnchanged(
  caseId: string,
  standing: CaseStanding | undefined,
  expected: number[] | null,
  rule?: (standing: CaseStanding) => CaseRefusal | undefined,
): CaseRefusal {
  if (!standing) return { refusal: 'not_visible', what: `case ${caseId}` };
  if (!standing.workable) return { refusal: 'not_holder', holder: standing.stationCode };
  if (expected !== null && !expected.includes(standing.version)) return { refusal: 'changed_since_read' };
  return rule?.(standing) ?? { refusal: 'changed_since_read' };
}

/** Why a move the workflow may allow was refused: not from this status, not for this caller, or no FIR yet. */
export function transitionRefusal(standing: CaseStanding, to: TransitionTarget, permittedFrom: readonly CaseStatus[]): CaseRefusal | undefined {
  const allowed = allowedTransitions(standing.status);
  if (!allowed.includes(to)) return { refusal: 'illegal_transition', currentStatus: standing.status, allowed };
  if (!permittedFrom.includes(standing.status)) {
    return { refusal: 'needs_permission', permission: standing.status === 'closed' ? 'cases:supervise' : 'cases:work', currentStatus: standing.status, to };
  }
  if (to === 'fir_registered' && !standing.hasFir) return { refusal: 'fir_reference_missing', currentStatus: standing.status, allowed };
  return undefined;
}
