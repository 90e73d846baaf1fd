import type { Outcome } from './outcome.js';

export interface NormalizedImei {
  kind: 'imei';
  /** 15 digits ending in a valid Luhn check digit. */
  normalized: string;
  raw: string;
  /** Type Allocation Code: the first 8 digits, which name the device model. */
  tac: string;
  /** True when 14 digits were given and the check digit was computed. */
  checkDigitComputed: boolean;
}

/**
 * 15 digits must carry a correct check digit. 14 digits (the IMEI without its check digit)
 * are accepted and completed, so both forms link. A wrong fifteenth digit is refused, not
 * corrected: it may be a typo anywhere in the number. Operators' call records often write the
 * last digit as 0; the problem text says to enter the first 14 digits then.
 */
export function normalizeImei(raw: string): Outcome<NormalizedImei> {
  const digits = raw.replace(/[\s./-]/g, '');
  if (digits === '') return { ok: false, problem: 'an IMEI is required' };
  if (!/^[0-9]+$/.test(digits)) return { ok: false, problem: 'an IMEI holds digits only' };
  if (digits.length !== 14 && digits.length !== 15) {
    return { ok: false, problem: `an IMEI has 15 digits (or 14 without its check digit); this one has ${digits.length}` };
  }
  if (/^0+$/.test(digits)) return { ok: false, problem: 'an IMEI of all zeros is a placeholder, not a device' };
  const body = digits.slice(0, 14);
  const checkDigit = luhnCheckDigit(body);
  if (digits.length === 15 && digits[14] !== checkDigit) {
    return {
      ok: false,
      problem: `the IMEI's check digit (the 15th) should be ${checkDigit}: check for a typo, or, if it came from call records that write it as 0, enter the first 14 digits`,
    };
  }
  const normalized = body + checkDigit;
  return { ok: true, value: { kind: 'imei', normalized, raw, tac: normalized.slice(0, 8), checkDigitComputed: digits.length === 14 } };
}

/** The Luhn digit that makes `body` + digit valid: from the right, every other digit doubled, starting with the last. */
export function luhnCheckDigit(body: string): string {
  let sum = 0;
  for (let index = 0; index < body.length; index += 1) {
    const digit = Number(body[body.length - 1 - index]);
    const weighted = index % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return String((10 - (sum % 10)) % 10);
}
