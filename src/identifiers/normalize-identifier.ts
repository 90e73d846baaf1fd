import type { Outcome } from './outcome.js';
import { normalizeBankAccount, type NormalizedBankAccount } from './bank-account.js';
import { normalizeEmail, type NormalizedEmail } from './email.js';
import { normalizeImei, type NormalizedImei } from './imei.js';
import { normalizePhone, type NormalizedPhone } from './phone.js';
import {
  normalizePlatformAccountId,
  normalizePlatformHandle,
  type NormalizedPlatformAccountId,
  type NormalizedPlatformHandle,
} from './platform.js';
import { normalizeUpi, type NormalizedUpi } from './upi.js';
import { normalizeUrl, type NormalizedUrl } from './url.js';

export type { NormalizedBankAccount } from './bank-account.js';
export type { NormalizedEmail } from './email.js';
export type { NormalizedImei } from './imei.js';
export type { NormalizedPhone } from './phone.js';
export { KNOWN_PLATFORMS, type KnownPlatform, type NormalizedPlatformAccountId, type NormalizedPlatformHandle, type Platform } from './platform.js';
export type { NormalizedUpi } from './upi.js';
export type { DerivedIdentifier, NormalizedUrl } from './url.js';

export type { Outcome };

export const IDENTIFIER_KINDS = ['phone', 'upi', 'bank_account', 'email', 'platform_handle', 'platform_account_id', 'url', 'imei'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** A suspect identifier as an officer or a client system gave it. */
export type IdentifierInput =
  | { kind: 'phone' | 'upi' | 'email' | 'url' | 'imei'; value: string }
  | { kind: 'bank_account'; accountNumber: string; ifsc: string }
  | { kind: 'platform_handle'; platform: string; handle: string }
  | { kind: 'platform_account_id'; platform: string; accountId: string };

/**
 * An identifier in the one form that cases are linked by: two cases share a suspect when
 * their identifiers have the same `kind` and `normalized`. `raw` is what was given, kept as
 * evidence; the other fields are the parts of the normalised value.
 */
export type NormalizedIdentifier =
  | NormalizedPhone
  | NormalizedUpi
  | NormalizedBankAccount
  | NormalizedEmail
  | NormalizedPlatformHandle
  | NormalizedPlatformAccountId
  | NormalizedUrl
  | NormalizedImei;

export type NormalizeResult = Outcome<NormalizedIdentifier>;

export function normalizeIdentifier(input: IdentifierInput): NormalizeResult {
  const missing = missingField(input);
  if (missing) return { ok: false, problem: `${missing} must be a string` };
  switch (input.kind) {
    case 'phone':
      return normalizePhone(input.value);
    case 'upi':
      return normalizeUpi(input.value);
    case 'email':
      return normalizeEmail(input.value);
    case 'url':
      return normalizeUrl(input.value);
    case 'imei':
      return normalizeImei(input.value);
    case 'bank_account':
      return normalizeBankAccount({ accountNumber: input.accountNumber, ifsc: input.ifsc });
    case 'platform_handle':
      return normalizePlatformHandle({ platform: input.platform, handle: input.handle });
    case 'platform_account_id':
      return normalizePlatformAccountId({ platform: input.platform, accountId: input.accountId });
    default:
      return { ok: false, problem: `unknown identifier kind: use one of ${IDENTIFIER_KINDS.join(', ')}` };
  }
}

/**
 * Normalises an identifier written as one string, as in `/v1/identifiers/{kind}/{value}`:
 * the single-value kinds as they are, the two-part kinds in their normalised shape
 * (`instagram:ravi.k`, `other:tinder:ravi`, `facebook:1000123`, `SBIN0001234:12345678901`),
 * split at the last colon since handles, ids and account numbers hold none.
 */
export function normalizeIdentifierKey(kind: string, key: string): NormalizeResult {
  if (!isIdentifierKind(kind)) return { ok: false, problem: `unknown identifier kind: use one of ${IDENTIFIER_KINDS.join(', ')}` };
  if (kind !== 'bank_account' && kind !== 'platform_handle' && kind !== 'platform_account_id') {
    return normalizeIdentifier({ kind, value: key });
  }
  const colon = key.lastIndexOf(':');
  if (colon === -1) {
    const shape = kind === 'bank_account' ? '<IFSC>:<account number>' : kind === 'platform_handle' ? '<platform>:<handle>' : '<platform>:<account id>';
    return { ok: false, problem: `a ${kind} is written ${shape}` };
  }
  const [head, tail] = [key.slice(0, colon), key.slice(colon + 1)];
  if (kind === 'bank_account') return normalizeIdentifier({ kind, ifsc: head, accountNumber: tail });
  if (kind === 'platform_handle') return normalizeIdentifier({ kind, platform: head, handle: tail });
  return normalizeIdentifier({ kind, platform: head, accountId: tail });
}

export function isIdentifierKind(kind: string): kind is IdentifierKind {
  return (IDENTIFIER_KINDS as readonly string[]).includes(kind);
}

const FIELDS: Record<IdentifierKind, string[]> = {
  phone: ['value'],
  upi: ['value'],
  email: ['value'],
  url: ['value'],
  imei: ['value'],
  bank_account: ['accountNumber', 'ifsc'],
  platform_handle: ['platform', 'handle'],
  platform_account_id: ['platform', 'accountId'],
};

// Callers validate with zod first; this keeps a stray null from a client from throwing inside.
function missingField(input: IdentifierInput): string | undefined {
  const record = input as unknown as Record<string, unknown>;
  if (!isIdentifierKind(String(record.kind))) return undefined;
  return FIELDS[input.kind].find((field) => typeof record[field] !== 'string');
}
