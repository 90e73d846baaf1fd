import type { Permission } from '../auth/permissions.js';
import { REQUEST_KINDS } from '../sop/vocabulary.js';

export { REQUEST_KINDS };
export type RequestKind = (typeof REQUEST_KINDS)[number];

/**
 * Where a request to a platform stands. A draft is written from the unit's letter template;
 * approval is the senior officer's sign-off; `sent` is when it left the station; the rest is
 * what the platform did with it.
 */
export const REQUEST_STATUSES = ['draft', 'approved', 'sent', 'acknowledged', 'actioned', 'refused', 'expired'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];

/** The statuses a transition may name (a request is created as a draft). */
export const REQUEST_TARGETS = ['approved', 'sent', 'acknowledged', 'actioned', 'refused', 'expired'] as const;
export type RequestTarget = (typeof REQUEST_TARGETS)[number];

const transitions: Record<RequestStatus, readonly RequestTarget[]> = {
  draft: ['approved'],
  approved: ['sent'],
  sent: ['acknowledged', 'actioned', 'refused', 'expired'],
  acknowledged: ['actioned', 'refused', 'expired'],
  actioned: [],
  refused: [],
  expired: [],
};

export function allowedRequestTransitions(from: RequestStatus): readonly RequestTarget[] {
  return transitions[from];
}

/** The statuses a request may be in for a move to `to`. */
export function requestStatusesAllowing(to: RequestTarget): RequestStatus[] {
  return REQUEST_STATUSES.filter((from) => transitions[from].includes(to));
}

/**
 * Police orders to an intermediary come from a specially authorised senior officer (IT Rules
 * 2021, rule 3(1)(d)): approving a takedown, a disclosure notice, a payment hold or a SIM/IMEI
 * block needs cases:supervise. A preservation request (or its extension) only asks the platform
 * to keep what it holds, so the officer working the case may approve it.
 */
export const KINDS_APPROVED_BY_SUPERVISORS: readonly RequestKind[] = ['takedown', 'data_disclosure', 'emergency_disclosure', 'payment_hold', 'sim_imei_block'];

export function approvalPermission(kind: RequestKind): Permission {
  return KINDS_APPROVED_BY_SUPERVISORS.includes(kind) ? 'cases:supervise' : 'cases:work';
}

/** The kinds of request a caller may approve: all with cases:supervise, preservation alone with cases:work. */
export function kindsApprovableBy(permissions: ReadonlySet<Permission>): RequestKind[] {
  if (permissions.has('cases:supervise')) return [...REQUEST_KINDS];
  return REQUEST_KINDS.filter((kind) => approvalPermission(kind) === 'cases:work' && permissions.has('cases:work'));
}

/**
 * What a caller needs for a move, before the request's kind is known: approval needs one of
 * the two permissions (the kind decides which), every other move needs cases:work (the
 * station holding the case sends the letter and records the platform's answer).
 */
export function mayAttempt(to: RequestTarget, permissions: ReadonlySet<Permission>): boolean {
  return to === 'approved' ? kindsApprovableBy(permissions).length > 0 : permissions.has('cases:work');
}

/** A move that stops the platform's clock: a preservation reminder no longer applies. */
export function endsRequest(to: RequestTarget): boolean {
  return to === 'refused' || to === 'expired';
}

/** A move that records the platform's answer; the first answer's time is kept as respondedAt. */
export function isPlatformAnswer(to: RequestTarget): boolean {
  return to === 'acknowledged' || to === 'actioned' || to === 'refused';
}
