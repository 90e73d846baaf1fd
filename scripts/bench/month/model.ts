/** What the replay knows about each case: the facts it reported and everything it did, with the simulated times. */

export type RiskLevel = 'low' | 'medium' | 'high';

export interface CaseFacts {
  age: number;
  minor: boolean;
  moneyPaid: boolean;
  amountPaid: number;
  paidAt: Date | null;
  imagesCirculated: boolean;
  platforms: string[];
  riskLevel: RiskLevel;
  neverContactThroughFamily: boolean;
  consentToContact: boolean;
}

/** A step as the checklist last showed it, with the close time the replay itself recorded when it closed it. */
export interface StepState {
  key: string;
  definitionKey: string;
  platformKey: string | null;
  status: string;
  triggeredAt: Date;
  dueAt: Date;
  closedAt: Date | null;
  /** The close time the API reported (compared with the replay's own). */
  apiClosedAt: Date | null;
  escalationLevel: number;
  nextEscalationAt: Date | null;
  requestKind: string | null;
  ownerRole: string;
}

export interface RequestRecord {
  id: string;
  platformKey: string;
  kind: string;
  stepKey: string;
  createdAt: Date;
  sentAt: Date | null;
  /** The platform's answers, as the replay recorded them: acknowledged, actioned, refused. */
  answers: Array<{ status: string; at: Date }>;
  /** The platform's deadline, when the API states one (respondBy), else null. */
  respondBy: Date | null;
  reminderAt: Date | null;
}

/** What an officer did about a step, and when. */
export interface StepAct {
  /** The real action (a request sent, a reference, a transition, the safety screen), or a plain tick of the step. */
  act: 'tick' | 'skip' | 'safety-screen' | 'reference' | 'fir' | 'requests' | 'evidence+tick';
  at: Date;
  outcome: 'done' | 'skipped';
  /** True when the real action alone closed the step (no tick needed). */
  completedByAct: boolean;
}

export interface CaseRecord {
  index: number;
  id: string;
  stationCode: string;
  reportedAt: Date;
  facts: CaseFacts;
  /** recorded: POST .../safety-screen accepted; absent: the endpoint answered 404; null: never screened. */
  screen: 'recorded' | 'absent' | 'failed' | null;
  references: Array<{ kind: string; at: Date }>;
  firRegisteredAt: Date | null;
  firstEvidenceAt: Date | null;
  requests: RequestRecord[];
  steps: Map<string, StepState>;
  acts: Map<string, StepAct>;
}

export const definitionKeyOf = (step: { key: string; definitionKey?: string | null }) => step.definitionKey ?? step.key.split('.')[0]!;
export const platformKeyOf = (step: { key: string; platformKey?: string | null }) => step.platformKey ?? (step.key.includes('.') ? step.key.split('.').slice(1).join('.') : null);
