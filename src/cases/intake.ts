import type { NormalizedIdentifier } from '../identifiers/normalize-identifier.js';
import { sumAmounts } from '../money/amounts.js';

/** An identifier ready to store: normalised by src/identifiers, with what was given kept. */
export interface StoredIdentifier {
  kind: string;
  normalized: string;
  display: string;
  details: Record<string, unknown>;
  source: 'intake' | 'added' | 'payment';
}

/** What is stored for an identifier, plus the handle or number a profile link names, so either links cases. */
export function storedIdentifiers(identifier: NormalizedIdentifier, source: StoredIdentifier['source']): StoredIdentifier[] {
  const { kind, normalized, ...details } = identifier;
  const stored: StoredIdentifier = { kind, normalized, display: normalized, details, source };
  if (identifier.kind === 'url' && identifier.derived) return [stored, ...storedIdentifiers(identifier.derived, source)];
  return [stored];
}

export interface PaymentInput {
  amount: string;
  currency: string;
  paidAt: string;
  method: string;
  reference: string | null;
  payer: string | null;
  payee: string | null;
}

/** A payment as the officer gives it, the payee normalised. */
export type PaymentFacts = { amount: string; currency: string; paidAt: string; method: string; reference?: string; payer?: string; payee?: NormalizedIdentifier };

/** A payment ready to store: the payee by its normalised value (it is also stored as a suspect identifier). */
export function paymentInput(payment: PaymentFacts): PaymentInput {
  return {
    amount: payment.amount,
    currency: payment.currency,
    paidAt: payment.paidAt,
    method: payment.method,
    reference: payment.reference ?? null,
    payer: payment.payer ?? null,
    payee: payment.payee?.normalized ?? null,
  };
}

/** A complaint as the station takes it down, identifiers already normalised. */
export interface Complaint {
  complainant: Record<string, unknown>;
  victim: { age?: number; isMinor?: boolean; [detail: string]: unknown };
  incident: { platforms: string[]; imagesCirculated: boolean; amountDemanded?: string; [detail: string]: unknown };
  currency: string;
  identifiers: NormalizedIdentifier[];
  payments: PaymentFacts[];
  narrative: string;
}

/** What a case records of its complaint; an update may change any of it. */
export interface CaseDetails {
  complainant: Record<string, unknown>;
  victim: Record<string, unknown>;
  victimIsMinor: boolean;
  incident: Record<string, unknown>;
  platforms: string[];
  imagesCirculated: boolean;
  amountDemanded: string | null;
  currency: string;
  narrative: string;
}

export interface CaseIntake extends CaseDetails {
  stationCode: string;
  reportedBy: string;
  /** Paid in the case's currency, summed exactly; payments in other currencies are kept, not added. */
  amountPaid: string;
  identifiers: StoredIdentifier[];
  payments: PaymentInput[];
}

/**
 * Intake: the facts a case is recorded with. The suspect identifiers are those given and each
 * payee, once each (a payee named twice, or also given as an identifier, is one identifier);
 * a victim under 18 is a minor unless the officer said otherwise.
 */
export function caseIntake(complaint: Complaint, stationCode: string, reportedBy: string): CaseIntake {
  const identifiers = [
    ...complaint.identifiers.flatMap((identifier) => storedIdentifiers(identifier, 'intake')),
    ...complaint.payments.flatMap((payment) => (payment.payee ? storedIdentifiers(payment.payee, 'payment') : [])),
  ].filter((identifier, index, all) => all.findIndex((other) => other.kind === identifier.kind && other.normalized === identifier.normalized) === index);
  const { victim, incident } = complaint;
  return {
    stationCode,
    reportedBy,
    complainant: complaint.complainant,
    victim,
    victimIsMinor: victim.isMinor ?? (victim.age !== undefined && victim.age < 18),
    incident,
    platforms: incident.platforms,
    imagesCirculated: incident.imagesCirculated,
    amountDemanded: incident.amountDemanded ?? null,
    amountPaid: sumAmounts(complaint.payments.filter((payment) => payment.currency === complaint.currency).map((payment) => payment.amount)),
    currency: complaint.currency,
    narrative: complaint.narrative,
    identifiers,
    payments: complaint.payments.map(paymentInput),
  };
}
