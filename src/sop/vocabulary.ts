/**
 * The SOP's vocabulary, defined once. The step schema (step-definition.ts), the routes, the
 * table checks (src/db/schema.ts) and the SQL engine (src/db/sql/sop-engine.sql, checked
 * against this by tests/sop/sop-vocabulary.test.ts) all take their words from here.
 */

/**
 * What starts a step's clock. The last two happen to a request on the platform's side (its
 * answer is late; a preservation nears its end) and start only steps taken per platform.
 */
export const TRIGGER_EVENTS = ['case_reported', 'payment_made', 'content_circulated', 'safety_screened', 'step_completed', 'platform_deadline_missed', 'preservation_expiring'] as const;
export type TriggerEvent = (typeof TRIGGER_EVENTS)[number];

/** The facts of a case a step's conditions may name (app.step_applies). */
export const CONDITION_KEYS = ['victimIsMinor', 'moneyPaid', 'imagesCirculated', 'platformInvolved', 'platforms', 'riskToLife', 'firRegistered'] as const;
export type ConditionKey = (typeof CONDITION_KEYS)[number];

export const STEP_KINDS = ['statutory', 'policy', 'advisory'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

/** What an officer records on a step. */
export const STEP_OUTCOMES = ['done', 'skipped', 'not_applicable'] as const;
export type StepOutcome = (typeof STEP_OUTCOMES)[number];

/**
 * The acts recorded on a case that complete a step by themselves (app.build_case_steps), besides
 * a request of the step's requestKind sent (to the step's platform).
 */
export const COMPLETING_ACTS = ['safety_screen', 'fir', 'helpline_ticket', 'ncrp_acknowledgement', 'platform_response'] as const;
export type CompletingAct = (typeof COMPLETING_ACTS)[number];

/** A step on a case: pending, closed by an outcome, or retired because its conditions no longer hold. */
export const STEP_STATUSES = ['pending', ...STEP_OUTCOMES, 'retired'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/** The requests to platforms, banks and telecoms a step may be completed by. */
export const REQUEST_KINDS = ['takedown', 'preservation', 'preservation_extension', 'data_disclosure', 'emergency_disclosure', 'payment_hold', 'sim_imei_block'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** The victim-safety screen's finding: high is a risk to life, which hands the victim over at once. */
export const SAFETY_RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type SafetyRiskLevel = (typeof SAFETY_RISK_LEVELS)[number];

/** A list of words as SQL literals, for table checks: ('a', 'b'). */
export function sqlWordList(words: readonly string[]): string {
  return words.map((word) => `'${word}'`).join(', ');
}
