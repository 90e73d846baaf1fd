import { formatAmount } from '../money/amounts.js';
import type { RequestKind } from './request-workflow.js';

/**
 * Letters to platforms, drafted from a unit's template (or the shipped one) and a case's
 * facts. Pure: the facts are read by the caller, and nothing here knows of HTTP or SQL.
 */

export interface LetterPlatform {
  key: string;
  name: string;
  category: string;
  preservationDays: number | null;
}

/** A suspect identifier as the case stores it (normalised value, display form, parts). */
export interface LetterIdentifier {
  kind: string;
  value: string;
  display: string;
  details: Record<string, unknown>;
}

/** A payment the victim made; the payer (the victim's own instrument) is left out on purpose. */
export interface LetterPayment {
  amount: string | number;
  currency: string;
  paidAt: string;
  method: string;
  reference: string | null;
  payee: string | null;
}

export interface LetterFacts {
  kind: RequestKind;
  platform: LetterPlatform;
  case: { id: string; stationCode: string; reportedAt: string };
  identifiers: LetterIdentifier[];
  payments: LetterPayment[];
  legalSections: { code: string; title: string }[];
  officer: { name: string; role: string; placement: string | null };
  today: Date;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][A-Za-z0-9_.]*)\s*\}\}/g;

/**
 * Replaces each `{{name}}` with its value in one pass, so a value that itself looks like a
 * placeholder (an offender's handle can be anything) is never expanded. A name the template
 * uses but no value is given for stays as written, so a typo in a unit's template shows in
 * the draft instead of leaving a silent gap; it is reported in `unknown`.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): { text: string; unknown: string[] } {
  const unknown = new Set<string>();
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    if (Object.hasOwn(values, name)) return values[name]!;
    unknown.add(name);
    return whole;
  });
  return { text, unknown: [...unknown] };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (value: number) => String(value).padStart(2, '0');

/** `27 Nov 2026`, in UTC. */
export function letterDate(value: Date | string): string {
  const date = new Date(value);
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** `27 Nov 2026, 18:30 UTC`. */
export function letterTime(value: Date | string): string {
  const date = new Date(value);
  return `${letterDate(date)}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

/** Canonical link hosts of the platforms whose profile links the identifier rules recognise (src/identifiers/url.ts). */
const PLATFORM_LINK_HOSTS: Record<string, readonly string[]> = {
  instagram: ['instagram.com'],
  facebook: ['facebook.com'],
  x: ['x.com'],
  telegram: ['t.me'],
  youtube: ['youtube.com', 'youtu.be'],
  snapchat: ['snapchat.com'],
  whatsapp: ['wa.me', 'api.whatsapp.com'],
};
const KNOWN_LINK_HOSTS = new Set(Object.values(PLATFORM_LINK_HOSTS).flat());

/** Accounts on the platform itself are known by phone number (WhatsApp, Telegram) or e-mail (Google). */
const ACCOUNT_KINDS_BY_PLATFORM: Record<string, readonly string[]> = { whatsapp: ['phone'], telegram: ['phone'], google: ['email'] };

const platformOf = (identifier: LetterIdentifier) => {
  const platform = identifier.details.platform;
  return typeof platform === 'string' ? platform : identifier.value.slice(0, identifier.value.lastIndexOf(':'));
};
const hostOf = (identifier: LetterIdentifier) => (typeof identifier.details.host === 'string' ? identifier.details.host : '');

/** Whether an online identifier (handle, account id, link) belongs to the platform of this directory entry. */
function onPlatform(identifier: LetterIdentifier, platform: LetterPlatform): boolean {
  if (identifier.kind === 'platform_handle' || identifier.kind === 'platform_account_id') {
    const on = platformOf(identifier);
    if (platform.category === 'dating' || platform.category === 'gaming') return on.startsWith('other:');
    return on === platform.key || on === `other:${platform.key}`;
  }
  if (identifier.kind === 'url') {
    const host = hostOf(identifier);
    const hosts = PLATFORM_LINK_HOSTS[platform.key];
    if (hosts) return hosts.includes(host);
    if (platform.category === 'dating' || platform.category === 'gaming') return !KNOWN_LINK_HOSTS.has(host);
    return host === platform.key || host.startsWith(`${platform.key}.`) || host.endsWith(`.${platform.key}.com`);
  }
  return (ACCOUNT_KINDS_BY_PLATFORM[platform.key] ?? []).includes(identifier.kind);
}

const ONLINE_KINDS = ['platform_handle', 'platform_account_id', 'url'];
const MONEY_KINDS = ['upi', 'bank_account'];
const PHONE_KINDS = ['phone', 'imei'];

/**
 * The suspect identifiers a letter of this kind to this platform should name: money trails
 * for a payment hold or a bank/payment body, numbers and handsets for a SIM/IMEI block or a
 * telecom, online content for the national takedown portal, and otherwise the accounts and
 * links on that platform. Payments are named where money is asked about.
 */
export function relevantFacts(kind: RequestKind, platform: LetterPlatform, identifiers: LetterIdentifier[]): { identifiers: LetterIdentifier[]; namesPayments: boolean } {
  const ofKinds = (kinds: readonly string[]) => identifiers.filter((identifier) => kinds.includes(identifier.kind));
  if (kind === 'payment_hold' || platform.category === 'bank' || platform.category === 'payment') return { identifiers: ofKinds(MONEY_KINDS), namesPayments: true };
  if (kind === 'sim_imei_block' || platform.category === 'telecom') return { identifiers: ofKinds(PHONE_KINDS), namesPayments: false };
  if (platform.category === 'portal') return { identifiers: ofKinds(ONLINE_KINDS), namesPayments: false };
  if (platform.category === 'other') return { identifiers, namesPayments: false };
  return { identifiers: identifiers.filter((identifier) => onPlatform(identifier, platform)), namesPayments: false };
}

const PLATFORM_NAMES: Record<string, string> = {
  instagram: 'Instagram', facebook: 'Facebook', whatsapp: 'WhatsApp', snapchat: 'Snapchat', x: 'X', telegram: 'Telegram', youtube: 'YouTube', google: 'Google',
};

function platformLabel(platform: string): string {
  return PLATFORM_NAMES[platform] ?? (platform.startsWith('other:') ? platform.slice('other:'.length) : platform);
}

export function identifierLine(identifier: LetterIdentifier): string {
  switch (identifier.kind) {
    case 'phone':
      return `Phone number: ${identifier.display}`;
    case 'upi':
      return `UPI address: ${identifier.display}`;
    case 'bank_account': {
      const [ifsc, account] = identifier.value.split(':');
      return account ? `Bank account: ${account} (IFSC ${ifsc})` : `Bank account: ${identifier.display}`;
    }
    case 'email':
      return `E-mail: ${identifier.display}`;
    case 'imei':
      return `IMEI: ${identifier.display}`;
    case 'url':
      return `Link: ${identifier.display}`;
    case 'platform_handle': {
      const handle = typeof identifier.details.handle === 'string' ? identifier.details.handle : identifier.value.slice(identifier.value.lastIndexOf(':') + 1);
      return `${platformLabel(platformOf(identifier))} username: @${handle}`;
    }
    case 'platform_account_id': {
      const id = typeof identifier.details.accountId === 'string' ? identifier.details.accountId : identifier.value.slice(identifier.value.lastIndexOf(':') + 1);
      return `${platformLabel(platformOf(identifier))} numeric account id: ${id}`;
    }
    default:
      return `${identifier.kind}: ${identifier.display}`;
  }
}

export function paymentLine(payment: LetterPayment): string {
  const amount = `${payment.currency} ${formatAmount(payment.amount)}`;
  const to = payment.payee ? ` to ${payment.payee}` : '';
  const reference = payment.reference ? `, UTR/reference ${payment.reference}` : '';
  return `Payment: ${amount} by ${payment.method.replace(/_/g, ' ')} on ${letterTime(payment.paidAt)}${to}${reference}`;
}

export function legalSectionsText(sections: { code: string; title: string }[]): string {
  if (sections.length === 0) return 'the provisions of law that apply';
  return sections.map((section) => `${section.code} (${section.title})`).join('; ');
}

/** The placeholders a letter template may use: the names `letterValues` fills (its type keeps the two in step). */
export const LETTER_PLACEHOLDERS = [
  'platform.name',
  'platform.key',
  'platform.preservationDays',
  'case.reference',
  'case.station',
  'case.reportedAt',
  'identifiers',
  'legalSections',
  'officer',
  'today',
] as const;
export type LetterPlaceholder = (typeof LETTER_PLACEHOLDERS)[number];

/** The values of every placeholder a template may use. */
export function letterValues(facts: LetterFacts): Record<LetterPlaceholder, string> {
  const { identifiers, namesPayments } = relevantFacts(facts.kind, facts.platform, facts.identifiers);
  const lines = [...identifiers.map(identifierLine), ...(namesPayments ? facts.payments.map(paymentLine) : [])];
  const officer = [facts.officer.name, facts.officer.role, facts.officer.placement].filter(Boolean).join(', ');
  return {
    'platform.name': facts.platform.name,
    'platform.key': facts.platform.key,
    'platform.preservationDays': facts.platform.preservationDays === null ? 'the usual number of' : String(facts.platform.preservationDays),
    'case.reference': facts.case.id,
    'case.station': facts.case.stationCode,
    'case.reportedAt': letterTime(facts.case.reportedAt),
    identifiers: lines.length > 0 ? lines.map((line) => `- ${line}`).join('\n') : '- (no identifiers of this kind are recorded on the case yet)',
    legalSections: legalSectionsText(facts.legalSections),
    officer,
    today: letterDate(facts.today),
  };
}

/** The draft letter: the template filled with the case's facts. */
export function draftLetter(template: string, facts: LetterFacts): { letter: string; unknownPlaceholders: string[] } {
  const { text, unknown } = fillTemplate(template, letterValues(facts));
  return { letter: text, unknownPlaceholders: unknown };
}

const ROLE_LABELS: Record<string, string> = {
  investigating_officer: 'Investigating Officer',
  station_house_officer: 'Station House Officer',
  duty_officer: 'Duty Officer',
  district_supervisor: 'District Supervisor',
  unit_admin: 'State Cyber Unit',
  unit_supervisor: 'State Cyber Unit Supervisor',
  auditor: 'Auditor',
  integration_client: 'on behalf of the station\'s case system',
};

/** Who signs: the officer's name where the case knows it (its assignee), else their login; their role; where they sit. */
export function signatory(
  principal: { subject: string; roles: readonly string[]; placement: string | null },
  assignedOfficer: { subject: string; name: string } | null,
): LetterFacts['officer'] {
  const name = assignedOfficer && assignedOfficer.subject === principal.subject ? assignedOfficer.name : principal.subject;
  const role = principal.roles.map((held) => ROLE_LABELS[held] ?? held).join(' / ');
  return { name, role, placement: principal.placement };
}
