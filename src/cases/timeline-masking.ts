import { REQUEST_TARGETS } from '../requests/request-workflow.js';
import { WITHHELD_TEXT } from './mask-personal-data.js';

/**
 * Every action a case's timeline can show: what the API writes with the case's id (the audit
 * writer only accepts these for a case, see AuditedChange) and what the minute sweep writes.
 */
export const CASE_EVENT_ACTIONS = [
  'case.reported',
  'case.checklist_changed',
  'case.updated',
  'case.identifier_added',
  'case.payment_added',
  'case.reference_added',
  'case.note_added',
  'case.transitioned',
  'case.transferred',
  'case.assigned',
  'case.sop_migrated',
  'evidence.captured',
  'evidence.handed_over',
  'evidence.reverified',
  'sop.step_done',
  'sop.step_skipped',
  'sop.step_not_applicable',
  'sop.step_escalated',
  'platform_request.drafted',
  ...REQUEST_TARGETS.map((to) => `platform_request.${to}` as const),
  'platform_request.preservation_expiring',
  'platform_request.preservation_extended',
  'platform_request.deadline_missed',
  'case.safety_screened',
] as const;
export type CaseEventAction = (typeof CASE_EVENT_ACTIONS)[number];

/** What an entry shows besides who and when: the event's recorded changes and, for a note, its text. */
export interface TimelineContent {
  changes: Record<string, unknown>;
  note: string | null;
}

type Masking = (content: TimelineContent) => TimelineContent;

/**
 * Only these keys of the changes, the facts the case itself shows every reader (stations,
 * statuses, suspect identifiers, amounts, hashes, custodians, step keys). A key a payload gains
 * later stays hidden from masked readers until someone decides it here.
 */
const shows =
  (...keys: string[]): Masking =>
  ({ changes }) => ({ changes: Object.fromEntries(Object.entries(changes).filter(([key]) => keys.includes(key))), note: null });

/** A checklist change is keyed by step: each step and what happened to it (added, retired, revived, completed), nothing else. */
const stepChanges: Masking = ({ changes }) => ({
  changes: Object.fromEntries(
    Object.entries(changes).filter(([, change]) => change === 'added' || change === 'retired' || change === 'revived' || change === 'completed'),
  ),
  note: null,
});

/** The note's hash stays (it ties the event to the note); its text is withheld like the case's narrative. */
const noteWithheld: Masking = (content) => ({ ...shows('bodySha256')(content), note: WITHHELD_TEXT });

const stepOutcome = shows('stepKey', 'outcome', 'reason', 'platformRequestId', 'dueAt', 'late');
const requestMove = shows('from', 'to', 'platformKey', 'kind', 'note', 'externalReference', 'preservationUntil', 'respondBy');

/**
 * What a reader without personal:read (auditors, supervisors, clients without the scope) sees
 * of each event: the same as the case shows them. The payloads never carry the complainant's
 * or victim's details or the payer (case.updated names the fields changed, not their values);
 * a note is free text about the people in the case, so, like the narrative, it is withheld.
 * Reasons (transitions, transfers, steps, request moves) are the officers' account of the work,
 * which supervisors review; the SOP and request views show them to the same readers.
 */
const maskingOf: Record<CaseEventAction, Masking> = {
  'case.reported': shows('status', 'stationCode', 'victimIsMinor', 'platforms', 'identifiers', 'payments'),
  'case.checklist_changed': stepChanges,
  'case.updated': shows('fields', 'victimIsMinor', 'platforms', 'imagesCirculated', 'amountDemanded'),
  'case.identifier_added': shows('kind', 'value', 'derived'),
  'case.payment_added': shows('amount', 'currency', 'method', 'reference', 'payee'),
  'case.reference_added': shows('kind', 'value', 'sections'),
  'case.note_added': noteWithheld,
  'case.transitioned': shows('from', 'to', 'reason', 'closureReason', 'stepsRetired'),
  'case.transferred': shows('from', 'to', 'reason', 'routingRule'),
  'case.assigned': shows('officer'),
  'case.sop_migrated': shows('from', 'to'),
  'evidence.captured': shows('kind', 'sha256', 'hashOrigin', 'capturedAt', 'capturedBy'),
  'evidence.handed_over': shows('custodyEventId', 'to', 'sha256', 'matches', 'integrity'),
  'evidence.reverified': shows('custodyEventId', 'to', 'sha256', 'matches', 'integrity'),
  'sop.step_done': stepOutcome,
  'sop.step_skipped': stepOutcome,
  'sop.step_not_applicable': stepOutcome,
  'sop.step_escalated': shows('stepKey', 'level', 'role', 'dueAt', 'asOf', 'repeat'),
  'platform_request.drafted': shows('platformKey', 'kind', 'sopStepKey', 'extendsRequestId', 'legalSections', 'letterSha256'),
  'platform_request.approved': requestMove,
  'platform_request.sent': requestMove,
  'platform_request.acknowledged': requestMove,
  'platform_request.actioned': requestMove,
  'platform_request.refused': requestMove,
  'platform_request.expired': requestMove,
  'platform_request.preservation_expiring': shows('platformKey', 'preservationUntil', 'asOf'),
  'platform_request.preservation_extended': shows('platformKey', 'preservationUntil', 'extensionRequestId'),
  'platform_request.deadline_missed': shows('platformKey', 'kind', 'respondBy', 'asOf'),
  'case.safety_screened': shows('riskLevel', 'victimIsMinor'),
};

export function isCaseEventAction(action: string): action is CaseEventAction {
  return Object.hasOwn(maskingOf, action);
}

/** An entry as a reader without personal:read sees it; an action with no decision here shows nothing of its content. */
export function maskTimelineContent(action: string, content: TimelineContent): TimelineContent {
  return isCaseEventAction(action) ? maskingOf[action](content) : { changes: {}, note: null };
}
