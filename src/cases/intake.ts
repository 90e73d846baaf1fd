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

/** A complaint as the station takes it down, identifiers already normalised. */
export interface Complaint {
  complainant: Record<string, unknown>;
  victim: { age?: number; isMinor?: boolean; [detail: string]: unknown };
  incident: { platforms: string[]; imagesCirculated: boolean; amountDemanded?: string; [detail: string]: unknown };
  currency: string;
  identifiers: NormalizedIdentifier[];
  payments: Array<{ amount: string; currency: string; paidAt: string; method: string; reference?: string; payer?: string; payee?: NormalizedIdentifier }>;
  narrative: string;
}

export interface CaseIntake {
  stationCode: string;
  reportedBy: string;
  complainant: Record<string, unknown>;
  victim: Record<string, unknown>;
  victimIsMinor: boolean;
  incident: Record<string, unknown>;
  platforms: string[];
  imagesCirculated: boolean;
  amountDemanded: string | null;
  /** Paid in the case's currency, summed exactly; payments in other currencies are kept, not added. */
  amountPaid: string;
  currency: string;
  narrative: string;
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
    payments: complaint.payments.map((payment) => ({
      amount: payment.amount,
      currency: payment.currency,
      paidAt: payment.paidAt,
      method: payment.method,
      reference: payment.reference ?? null,
      payer: payment.payer ?? null,
      payee: payment.payee?.normalized ?? null,
    })),
  };
}
