import type { Principal } from '../../auth/principal.js';
import type { DraftingFactsRow, RequestStanding } from '../../db/queries/platform-requests.js';
import { staleVersion } from '../../http/etag.js';
import { notFound, ProblemError, type FieldError } from '../../http/problem.js';
import { allowedRequestTransitions, approvalPermission, type RequestKind, type RequestTarget } from '../../requests/request-workflow.js';

const notHolder = () =>
  new ProblemError('not_case_holder', 'only the station holding the case (or a supervisor above it) works its platform requests');

export type DraftableFacts = DraftingFactsRow & { platform: NonNullable<DraftingFactsRow['platform']>; template: string };

/** The facts read for a draft, if a request can be drafted on this case as asked; else the problem saying why not. */
export function requireDraftable(
  caseId: string,
  facts: DraftingFactsRow | undefined,
  asked: { platformKey: string; kind: RequestKind; sopStepKey?: string; legalSections?: string[] },
): DraftableFacts {
  if (!facts) throw notFound(`case ${caseId}`);
  if (!facts.workable) throw notHolder();
  if (facts.status === 'closed') throw new ProblemError('case_closed', 'reopen the case before drafting requests on it');
  const errors: FieldError[] = [];
  if (!facts.platform) errors.push({ pointer: '/body/platformKey', detail: `${asked.platformKey} is not in the unit's platform directory (GET /v1/units/{unitCode}/platforms)` });
  if (asked.sopStepKey !== undefined && !facts.step) errors.push({ pointer: '/body/sopStepKey', detail: `the case has no SOP step ${asked.sopStepKey}` });
  if (asked.sopStepKey !== undefined && facts.step?.requestKind && facts.step.requestKind !== asked.kind) {
    errors.push({ pointer: '/body/sopStepKey', detail: `step ${asked.sopStepKey} is completed by a ${facts.step.requestKind} request, not ${asked.kind}` });
  }
  if (asked.sopStepKey !== undefined && facts.step?.platformKey && facts.step.platformKey !== asked.platformKey) {
    errors.push({ pointer: '/body/sopStepKey', detail: `step ${asked.sopStepKey} is for ${facts.step.platformKey}, not ${asked.platformKey}` });
  }
  const inForce = new Set(facts.provisions.map((provision) => provision.code));
  asked.legalSections?.forEach((code, index) => {
    if (!inForce.has(code)) errors.push({ pointer: `/body/legalSections/${index}`, detail: `${code} is not a legal provision in force (GET /v1/legal-provisions)` });
  });
  if (errors.length > 0) {
    const code = !facts.platform ? 'unknown_platform' : 'invalid_reference';
    throw new ProblemError(code, errors.map((error) => error.detail).join('; '), { errors });
  }
  if (asked.kind === 'preservation_extension') requireExtendable(asked.platformKey, facts.preservationToExtend);
  const { platform, template } = facts;
  if (!platform) throw new ProblemError('unknown_platform', `${asked.platformKey} is not in the unit's platform directory`);
  if (template === null) throw new ProblemError('no_letter_template', `neither the unit nor the shipped directory has a template for ${asked.kind} requests`);
  return { ...facts, platform, template };
}

/** Where the caller sits, for the letter's signature. */
export function placementOf(principal: Principal): string | null {
  const { tenancy } = principal;
  if (tenancy.level === 'station') return tenancy.stationCode;
  if (tenancy.level === 'district') return tenancy.districtCode;
  return tenancy.level === 'unit' ? tenancy.unitCode : null;
}

/**
 * Why a move matched nothing, from a second look: not visible (404), not the holder (403),
 * changed since If-Match (412), not a move from this status (409, naming the allowed ones), or
 * an approval this caller may not give (403).
 */
export function explainUnmovedRequest(
  what: string,
  standing: RequestStanding | undefined,
  to: RequestTarget,
  expected: number[] | null,
  approvable: readonly RequestKind[],
): ProblemError {
  if (!standing) return notFound(what);
  if (!standing.workable) return notHolder();
  if (expected !== null && !expected.includes(standing.version)) return staleVersion();
  const allowed = allowedRequestTransitions(standing.status);
  if (!allowed.includes(to)) {
    return new ProblemError('illegal_transition', `a ${standing.status} request can move to: ${allowed.join(', ') || 'nothing'}`, {
      members: { currentStatus: standing.status, allowedTransitions: allowed },
    });
  }
  if (to === 'approved' && !approvable.includes(standing.kind)) {
    return new ProblemError('forbidden', `approving a ${standing.kind} request needs the ${approvalPermission(standing.kind)} permission: police orders to a platform come from a specially authorised senior officer`);
  }
  return staleVersion();
}

/** An extension follows a preservation sent to the same platform, still in force, once, where that kind of body extends. */
function requireExtendable(platformKey: string, preservation: DraftingFactsRow['preservationToExtend']): void {
  if (!preservation) throw new ProblemError('preservation_not_extendable', `no preservation request to ${platformKey} is in force on this case`);
  if (preservation.extended) throw new ProblemError('preservation_not_extendable', `the preservation at ${platformKey} (request ${preservation.id}) was extended already: extend once`);
  if (preservation.extensionDays === null) throw new ProblemError('preservation_not_extendable', `${platformKey} keeps its data for a fixed period: follow with a data request instead`);
}
