import { z } from '@hono/zod-openapi';
import type { Principal } from '../../auth/principal.js';
import { maskPerson, maskPhone, WITHHELD_TEXT } from '../../cases/mask-personal-data.js';
import { allowedTransitions, CASE_STATUSES, CLOSURE_REASONS, permissionForMove, TRANSITION_TARGETS, type CaseStatus } from '../../cases/workflow.js';
import type { CaseDetailRow, IdentifierJson, PaymentJson, ReferenceJson, SafetyScreenJson } from '../../db/queries/cases.js';
import { SAFETY_RISK_LEVELS, type SafetyRiskLevel } from '../../sop/vocabulary.js';
import { formatAmount, isPositiveOrMalformed } from '../../money/amounts.js';
import type { CaseListRow } from '../../db/queries/case-list.js';
import { normalizeIdentifier } from '../../identifiers/normalize-identifier.js';
import { normalizePhone } from '../../identifiers/phone.js';
import { normalizePlatform } from '../../identifiers/platform.js';
import { namedOrNull, pastTimestampSchema, timestampSchema, toRfc3339 } from '../../http/schemas.js';

export const caseIdParam = z.uuid().openapi({ param: { name: 'caseId', in: 'path' }, example: '01937a4e-7c1a-7b3e-9d2f-5a6b7c8d9e0f' });
export const casePathSchema = z.object({ caseId: caseIdParam });

export const moneySchema = z
  .string()
  .max(15)
  .regex(/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/, 'an amount such as 15000 or 15000.50 (at most two decimals)')
  .openapi({ example: '15000.00' });
export const currencySchema = z.string().max(3).regex(/^[A-Z]{3}$/, 'an ISO 4217 code such as INR').default('INR').openapi({ example: 'INR' });

export function formatMoney(value: string | number | null): string | null {
  return value === null ? null : formatAmount(value);
}

const phoneField = z
  .string()
  .max(40)
  .transform((value, ctx) => {
    const result = normalizePhone(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    return result.value.normalized;
  })
  .openapi({ type: 'string', maxLength: 40, example: '+919812345610', description: 'Stored in E.164; an Indian number may be written without +91.' });

export const platformField = z
  .string()
  .max(60)
  .transform((value, ctx) => {
    const result = normalizePlatform(value);
    if (!result.ok) {
      ctx.addIssue({ code: 'custom', message: result.problem });
      return z.NEVER;
    }
    return result.value;
  })
  .openapi({ type: 'string', maxLength: 60, example: 'instagram', description: 'A known platform, or other:<name> for any other app.' });

const personFields = {
  name: z.string().trim().min(1).max(200).optional(),
  phone: phoneField.optional(),
  email: z.email().max(254).optional(),
  address: z.string().trim().max(1000).optional(),
};

export const complainantSchema = z
  .object({
    ...personFields,
    name: z.string().trim().min(1).max(200),
    relationToVictim: z.enum(['self', 'parent', 'guardian', 'sibling', 'spouse', 'relative', 'friend', 'other']).default('self'),
  })
  .strict()
  .openapi('Complainant');

export const victimSchema = z
  .object({
    ...personFields,
    age: z.number().int().min(0).max(120).optional(),
    isMinor: z.boolean().optional().openapi({ description: 'Required when the age is not known; must agree with the age when both are given.' }),
    gender: z.enum(['female', 'male', 'transgender', 'undisclosed']).optional(),
  })
  .strict()
  .superRefine((victim, ctx) => {
    if (victim.age === undefined && victim.isMinor === undefined) {
      ctx.addIssue({ code: 'custom', message: 'give the age or isMinor: a minor victim changes the legal path', path: ['isMinor'] });
    }
    if (victim.age !== undefined && victim.isMinor !== undefined && victim.isMinor !== victim.age < 18) {
      ctx.addIssue({ code: 'custom', message: `isMinor contradicts age ${victim.age}`, path: ['isMinor'] });
    }
  })
  .openapi('Victim');

export const CHANNELS = ['video_call', 'voice_call', 'chat', 'image_exchange', 'social_post', 'email', 'sms', 'other'] as const;
export const RECORDED_MATERIAL = ['video_call_recording', 'intimate_images', 'intimate_video', 'morphed_images', 'chat_screenshots', 'audio', 'none', 'unknown'] as const;

export const incidentSchema = z
  .object({
    firstContactAt: pastTimestampSchema.openapi({ description: 'When the offender first made contact.' }),
    platforms: z.array(platformField).max(20).default([]),
    channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).default([]),
    recordedMaterial: z.array(z.enum(RECORDED_MATERIAL)).max(RECORDED_MATERIAL.length).default([]),
    threat: z.string().trim().max(4000).default('').openapi({ description: 'What the offender threatened, in the victim\'s words.' }),
    imagesCirculated: z.boolean().openapi({ description: 'Whether images were already sent to anyone.' }),
    amountDemanded: moneySchema.optional(),
  })
  .strict()
  .openapi('Incident');

export const identifierInputSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.enum(['phone', 'upi', 'email', 'url', 'imei']), value: z.string().max(2048) }).strict(),
    z.object({ kind: z.literal('bank_account'), accountNumber: z.string().max(40), ifsc: z.string().max(20) }).strict(),
    z.object({ kind: z.literal('platform_handle'), platform: z.string().max(60), handle: z.string().max(120) }).strict(),
    z.object({ kind: z.literal('platform_account_id'), platform: z.string().max(60), accountId: z.string().max(120) }).strict(),
  ])
  .openapi('IdentifierInput', { example: { kind: 'upi', value: 'quickcash@ybl' } });

/** Validates and normalises in one go, so a bad identifier is a 400 that points at its field. */
export const normalizedIdentifierSchema = identifierInputSchema.transform((input, ctx) => {
  const result = normalizeIdentifier(input);
  if (!result.ok) {
    const field = input.kind === 'bank_account' ? 'accountNumber' : input.kind === 'platform_handle' ? 'handle' : input.kind === 'platform_account_id' ? 'accountId' : 'value';
    ctx.addIssue({ code: 'custom', message: result.problem, path: [field] });
    return z.NEVER;
  }
  return result.value;
});

export const paymentInputSchema = z
  .object({
    amount: moneySchema,
    currency: currencySchema,
    paidAt: pastTimestampSchema,
    method: z.enum(['upi', 'bank_transfer', 'card', 'wallet', 'gift_card', 'crypto', 'cash_deposit', 'other']),
    reference: z.string().trim().min(1).max(100).optional().openapi({ description: 'UTR or transaction reference.', example: '412345678901' }),
    payer: z.string().trim().min(1).max(200).optional().openapi({ description: 'The victim\'s instrument (masked for roles without personal:read).' }),
    payee: normalizedIdentifierSchema.optional().openapi({ description: 'The instrument the money went to; it is also recorded as a suspect identifier.' }),
  })
  .strict()
  .refine((payment) => isPositiveOrMalformed(payment.amount), { message: 'a payment is more than zero', path: ['amount'] })
  .openapi('PaymentInput');

export const identifierSchema = z
  .object({
    id: z.uuid(),
    kind: z.string().openapi({ example: 'upi' }),
    value: z.string().openapi({ description: 'The normalised value cases are linked by.', example: 'quickcash@ybl' }),
    details: z.record(z.string(), z.unknown()).openapi({ description: 'What was given (raw) and the parts of the normalised value.' }),
    source: z.enum(['intake', 'added', 'payment']),
    addedAt: timestampSchema,
    addedBy: z.string(),
  })
  .openapi('SuspectIdentifier');

export const paymentSchema = z
  .object({
    id: z.uuid(),
    amount: moneySchema,
    currency: z.string(),
    paidAt: timestampSchema,
    method: z.string(),
    reference: z.string().nullable(),
    payer: z.string().nullable(),
    payee: z.string().nullable(),
    recordedAt: timestampSchema,
  })
  .openapi('Payment');

export const REFERENCE_KINDS = ['ncrp_acknowledgement', 'helpline_ticket', 'fir', 'intermediary_notice', 'court_order', 'other'] as const;

export const referenceSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(REFERENCE_KINDS),
    value: z.string(),
    sections: z.array(z.string()),
    issuedAt: timestampSchema.nullable(),
    note: z.string().nullable(),
    addedAt: timestampSchema,
  })
  .openapi('ExternalReference');

export const custodianSchema = z
  .object({
    name: z.string().trim().min(1).max(200),
    subject: z.string().max(255).optional().openapi({ description: 'Their identity in the token issuer, when they have one.' }),
    designation: z.string().trim().max(200).optional().openapi({ example: 'Police Sub-Inspector' }),
  })
  .strict()
  .openapi('Custodian');

export const evidenceSummarySchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    description: z.string(),
    sha256: z.string(),
    hashOrigin: z.enum(['computed', 'supplied']),
    capturedAt: timestampSchema,
    integrity: z.enum(['intact', 'mismatch']),
    custodian: custodianSchema,
  })
  .openapi('EvidenceSummary');

const officerSchema = z.object({ subject: z.string(), name: z.string() }).openapi('Officer');

const personOut = z.record(z.string(), z.unknown());

export const safetyScreenSchema = z
  .object({
    riskLevel: z.enum(SAFETY_RISK_LEVELS).openapi({ description: 'What the screen found; high is a risk to life (hand-over at once, emergency disclosure).' }),
    screenedAt: timestampSchema,
    neverContactThroughFamily: z.boolean().nullable().openapi({ description: 'Never reach the victim through their family. Null for callers without personal:read.' }),
    consentToContact: z.boolean().nullable().openapi({ description: 'The victim agrees to be contacted. Null for callers without personal:read, or when not asked.' }),
  })
  .openapi('SafetyScreen');

export function toSafetyScreen(screen: SafetyScreenJson, full: boolean): z.infer<typeof safetyScreenSchema> | null {
  if (screen === null) return null;
  return {
    riskLevel: screen.riskLevel as SafetyRiskLevel,
    screenedAt: toRfc3339(screen.screenedAt),
    neverContactThroughFamily: full ? screen.neverContactThroughFamily : null,
    consentToContact: full ? screen.consentToContact : null,
  };
}

export const caseSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(CASE_STATUSES),
    allowedTransitions: z
      .array(z.enum(TRANSITION_TARGETS))
      .openapi({ description: 'Where this caller may take the case now with POST /transitions: the moves its status allows, for the holding station\'s officers or a supervisor above it, that the caller\'s permissions cover (closing and reopening need cases:supervise, the others cases:work); empty for a station that held it before.' }),
    station: z.object({ code: z.string() }).openapi({ description: 'The station that holds the case now.' }),
    reportedStation: z.object({ code: z.string() }),
    reportedAt: timestampSchema,
    reportedBy: z.string(),
    routedBy: z.string().nullable().openapi({ description: 'The routing rule that sent the case on at intake, if any.' }),
    assignedOfficer: namedOrNull(officerSchema),
    closure: z.object({ reason: z.enum(CLOSURE_REASONS), closedAt: timestampSchema }).nullable(),
    personalData: z.enum(['full', 'masked']).openapi({ description: 'Masked for callers without personal:read.' }),
    complainant: personOut,
    victim: personOut,
    incident: z.record(z.string(), z.unknown()),
    amountPaid: moneySchema,
    currency: z.string(),
    narrative: z.string(),
    identifiers: z.array(identifierSchema),
    payments: z.array(paymentSchema),
    references: z.array(referenceSchema),
    evidence: z.array(evidenceSummarySchema),
    safetyScreen: namedOrNull(safetyScreenSchema).openapi({ description: 'The victim-safety screen, once recorded (POST /v1/cases/{caseId}/safety-screen).' }),
    version: z.number().int(),
    createdAt: timestampSchema,
    updatedAt: timestampSchema,
  })
  .openapi('Case');

export const caseListItemSchema = z
  .object({
    id: z.uuid(),
    status: z.enum(CASE_STATUSES),
    station: z.object({ code: z.string() }),
    reportedStation: z.object({ code: z.string() }),
    reportedAt: timestampSchema,
    victimIsMinor: z.boolean(),
    platforms: z.array(z.string()),
    imagesCirculated: z.boolean(),
    amountPaid: moneySchema,
    currency: z.string(),
    assignedOfficer: namedOrNull(officerSchema),
    version: z.number().int(),
    updatedAt: timestampSchema,
  })
  .openapi('CaseSummary');

export const toIdentifier = (row: IdentifierJson): z.infer<typeof identifierSchema> => ({
  id: row.id,
  kind: row.kind,
  value: row.value,
  details: row.details,
  source: row.source as 'intake',
  addedAt: toRfc3339(row.addedAt),
  addedBy: row.addedBy,
});

export const toPayment = (row: PaymentJson, fullPersonalData: boolean): z.infer<typeof paymentSchema> => ({
  id: row.id,
  amount: formatMoney(row.amount)!,
  currency: row.currency,
  paidAt: toRfc3339(row.paidAt),
  method: row.method,
  reference: row.reference,
  payer: row.payer === null || fullPersonalData ? row.payer : maskInstrument(row.payer),
  payee: row.payee,
  recordedAt: toRfc3339(row.recordedAt),
});

export const toReference = (row: ReferenceJson): z.infer<typeof referenceSchema> => ({
  id: row.id,
  kind: row.kind as 'fir',
  value: row.value,
  sections: row.sections,
  issuedAt: row.issuedAt === null ? null : toRfc3339(row.issuedAt),
  note: row.note,
  addedAt: toRfc3339(row.addedAt),
});

function maskInstrument(text: string): string {
  if (/^\+?[0-9 -]{8,}$/.test(text)) return maskPhone(text.startsWith('+') ? text.replace(/[ -]/g, '') : `+91${text.replace(/[ -]/g, '').slice(-10)}`);
  return text.length <= 4 ? '****' : `${text.slice(0, 2)}${'*'.repeat(Math.min(text.length - 4, 12))}${text.slice(-2)}`;
}

/** Whether this caller sees victims and complainants as recorded. */
export function seesPersonalData(principal: Principal): boolean {
  return principal.permissions.has('personal:read');
}

/**
 * The moves from a status that this caller may make, as POST /transitions decides them: the
 * holding station's officers (or a supervisor above it), with the permission each move needs.
 */
function transitionsFor(status: CaseStatus, holderStationCode: string, principal: Principal) {
  const { tenancy } = principal;
  if (tenancy.level === 'station' && tenancy.stationCode !== holderStationCode) return [];
  return allowedTransitions(status).filter((to) => principal.permissions.has(permissionForMove(status, to)));
}

export function toCase(row: CaseDetailRow, principal: Principal): z.infer<typeof caseSchema> {
  const full = seesPersonalData(principal);
  return {
    id: row.id,
    status: row.status,
    allowedTransitions: transitionsFor(row.status, row.stationCode, principal),
    station: { code: row.stationCode },
    reportedStation: { code: row.reportedStationCode },
    reportedAt: toRfc3339(row.reportedAt),
    reportedBy: row.reportedBy,
    routedBy: row.routedBy,
    assignedOfficer: row.assignedOfficer,
    closure: row.closureReason && row.closedAt ? { reason: row.closureReason as 'duplicate', closedAt: toRfc3339(row.closedAt) } : null,
    personalData: full ? 'full' : 'masked',
    complainant: full ? row.complainant : maskPerson(row.complainant),
    victim: full ? row.victim : maskPerson(row.victim),
    incident: row.incident,
    amountPaid: formatMoney(row.amountPaid)!,
    currency: row.currency,
    narrative: full ? row.narrative : WITHHELD_TEXT,
    identifiers: row.identifiers.map(toIdentifier),
    payments: row.payments.map((payment) => toPayment(payment, full)),
    references: row.references.map(toReference),
    evidence: row.evidence.map((item) => ({ ...item, capturedAt: toRfc3339(item.capturedAt), hashOrigin: item.hashOrigin as 'computed', integrity: item.integrity as 'intact', custodian: item.custodian as { name: string } })),
    safetyScreen: toSafetyScreen(row.safetyScreen, full),
    version: row.version,
    createdAt: toRfc3339(row.createdAt),
    updatedAt: toRfc3339(row.updatedAt),
  };
}

export function toCaseSummary(row: CaseListRow): z.infer<typeof caseListItemSchema> {
  return {
    id: row.id,
    status: row.status,
    station: { code: row.stationCode },
    reportedStation: { code: row.reportedStationCode },
    reportedAt: toRfc3339(row.reportedAt),
    victimIsMinor: row.victimIsMinor,
    platforms: row.platforms,
    imagesCirculated: row.imagesCirculated,
    amountPaid: formatMoney(row.amountPaid)!,
    currency: row.currency,
    assignedOfficer: row.assignedOfficer,
    version: row.version,
    updatedAt: toRfc3339(row.updatedAt),
  };
}
