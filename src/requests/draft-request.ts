import { sha256Hex } from '../crypto/sha256.js';
import { draftLetter, signatory, type LetterFacts } from './letter.js';
import type { RequestKind } from './request-workflow.js';

export interface DraftFacts {
  id: string;
  stationCode: string;
  reportedAt: string;
  platform: LetterFacts['platform'];
  template: string;
  identifiers: LetterFacts['identifiers'];
  payments: LetterFacts['payments'];
  provisions: LetterFacts['legalSections'];
  assignedOfficer: { subject: string; name: string } | null;
  preservationToExtend: { id: string } | null;
}

export interface RequestDraft {
  platformKey: string;
  kind: RequestKind;
  sopStepKey: string | null;
  letter: string;
  letterSha256: string;
  legalSections: string[];
  extendsRequestId: string | null;
}

/**
 * Drafting a request to a platform: the letter from the template with the case's facts, its
 * hash (the audit trail keeps the hash, the request keeps the letter) and the sections it cites.
 */
export async function draftRequest(
  asked: { platformKey: string; kind: RequestKind; sopStepKey?: string },
  facts: DraftFacts,
  officer: { subject: string; roles: readonly string[]; placement: string | null },
  today: Date,
): Promise<RequestDraft> {
  const { letter } = draftLetter(facts.template, {
    kind: asked.kind,
    platform: facts.platform,
    case: { id: facts.id, stationCode: facts.stationCode, reportedAt: facts.reportedAt },
    identifiers: facts.identifiers,
    payments: facts.payments,
    legalSections: facts.provisions,
    officer: signatory(officer, facts.assignedOfficer),
    today,
  });
  return {
    platformKey: asked.platformKey,
    kind: asked.kind,
    sopStepKey: asked.sopStepKey ?? null,
    letter,
    letterSha256: await sha256Hex(letter),
    legalSections: facts.provisions.map((provision) => provision.code),
    extendsRequestId: facts.preservationToExtend?.id ?? null,
  };
}
