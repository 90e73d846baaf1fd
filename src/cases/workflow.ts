/** Where a case stands. `transferred` waits for the receiving station to take it up. */
export const CASE_STATUSES = ['reported', 'triaged', 'under_investigation', 'fir_registered', 'closed', 'transferred'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** The statuses a transition may name; a transfer is its own operation, with a target station. */
export const TRANSITION_TARGETS = ['triaged', 'under_investigation', 'fir_registered', 'closed'] as const;
export type TransitionTarget = (typeof TRANSITION_TARGETS)[number];

const transitions: Record<CaseStatus, readonly TransitionTarget[]> = {
  reported: ['triaged', 'under_investigation', 'closed'],
  triaged: ['under_investigation', 'closed'],
  under_investigation: ['fir_registered', 'closed'],
  fir_registered: ['closed'],
  transferred: ['triaged', 'under_investigation', 'fir_registered', 'closed'],
  closed: ['under_investigation'],
};

/** A case may be transferred from any status but closed. */
export const TRANSFERABLE_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((status) => status !== 'closed');

export const CLOSURE_REASONS = [
  'resolved_content_removed',
  'charge_sheet_filed',
  'complainant_withdrew',
  'no_cognizable_offence',
  'untraced',
  'duplicate',
  'merged_with_other_case',
] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export function allowedTransitions(from: CaseStatus): readonly TransitionTarget[] {
  return transitions[from];
}

/** The statuses a case may be in for a move to `to`. */
export function statusesAllowing(to: TransitionTarget): CaseStatus[] {
  return CASE_STATUSES.filter((from) => transitions[from].includes(to));
}

/** Closing and reopening are the station house officer's (or a supervisor's) call. */
export function needsSupervision(from: CaseStatus | null, to: TransitionTarget): boolean {
  return to === 'closed' || from === 'closed';
}

/** The permission a move from one status to another needs: cases:supervise to close or reopen, cases:work otherwise. */
export function permissionForMove(from: CaseStatus, to: TransitionTarget): 'cases:supervise' | 'cases:work' {
  return needsSupervision(from, to) ? 'cases:supervise' : 'cases:work';
}
