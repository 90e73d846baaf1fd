import { parsePhoneNumberFromString, validatePhoneNumberLength } from 'libphonenumber-js/min';
import type { Outcome } from './outcome.js';

export interface NormalizedPhone {
  kind: 'phone';
  /** E.164, e.g. +919876543210. */
  normalized: string;
  raw: string;
  /** Country calling code without the plus, e.g. "91". */
  callingCode: string;
  /** ISO 3166-1 alpha-2 when the number's range settles it (a shared code such as +1 may not). */
  country?: string;
}

/** Numbers are read as Indian unless they carry an international prefix (+, 00, or 0091-style). */
const DEFAULT_REGION = 'IN';

// Digits, one leading plus, and the separators people write; letters (vanity numbers, "ext.")
// and slashes (two numbers run together) are refused rather than guessed at.
const PHONE_CHARACTERS = /^\(?\+?[0-9\s().-]+$/;

export function normalizePhone(raw: string): Outcome<NormalizedPhone> {
  const text = raw.trim().replace(/^tel:/i, '');
  if (text === '') return { ok: false, problem: 'a phone number is required' };
  if (text.length > 40) return { ok: false, problem: 'too long for a phone number' };
  if (!PHONE_CHARACTERS.test(text)) {
    return { ok: false, problem: 'a phone number holds digits, an optional leading +, spaces, dashes, dots and brackets only (no letters or extensions)' };
  }
  const phone = parsePhoneNumberFromString(text, { defaultCountry: DEFAULT_REGION });
  if (!phone) return { ok: false, problem: 'not a phone number: too few digits or an unknown country code' };
  if (!phone.isValid()) {
    const length = validatePhoneNumberLength(text, { defaultCountry: DEFAULT_REGION });
    const where = phone.countryCallingCode === '91' ? 'an Indian number' : `a number with country code +${phone.countryCallingCode}`;
    if (length === 'TOO_SHORT' || length === 'NOT_A_NUMBER') return { ok: false, problem: `too few digits for ${where}` };
    if (length === 'TOO_LONG') return { ok: false, problem: `too many digits for ${where}` };
    if (length === 'INVALID_COUNTRY') return { ok: false, problem: `+${phone.countryCallingCode} is not a country code` };
    if (phone.countryCallingCode === '91') {
      return { ok: false, problem: 'not a valid Indian number: a mobile number has 10 digits after +91 or a leading 0' };
    }
    return { ok: false, problem: `not a valid number for ${where}: no such number range` };
  }
  return {
    ok: true,
    value: {
      kind: 'phone',
      normalized: phone.number,
      raw,
      callingCode: phone.countryCallingCode,
      ...(phone.country ? { country: phone.country } : {}),
    },
  };
}
