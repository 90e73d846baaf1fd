import type { Outcome } from './outcome.js';

export interface NormalizedBankAccount {
  kind: 'bank_account';
  /** `<IFSC>:<account number>`, e.g. SBIN0001234:00001234567890. */
  normalized: string;
  raw: { accountNumber: string; ifsc: string };
  accountNumber: string;
  ifsc: string;
  /** The IFSC's first four letters: the bank. Account numbers are unique within a bank, so
   * `bankCode` + `accountNumber` links an account even when a victim names the wrong branch. */
  bankCode: string;
}

const IFSC = /^[A-Z]{4}0[A-Z0-9]{6}$/;
const ACCOUNT_NUMBER = /^[0-9]{9,18}$/;

/**
 * Account numbers keep their leading zeros (banks print fixed-width numbers, and a zero-padded
 * and an unpadded number are not known to be the same account); spaces and dashes go.
 */
export function normalizeBankAccount(raw: { accountNumber: string; ifsc: string }): Outcome<NormalizedBankAccount> {
  const accountNumber = raw.accountNumber.replace(/[\s-]/g, '');
  if (accountNumber === '') return { ok: false, problem: 'an account number is required' };
  if (!/^[0-9]+$/.test(accountNumber)) return { ok: false, problem: 'an account number holds digits only' };
  if (!ACCOUNT_NUMBER.test(accountNumber)) {
    return { ok: false, problem: `an account number has 9 to 18 digits; this one has ${accountNumber.length}` };
  }
  const ifsc = normalizeIfsc(raw.ifsc);
  if (!ifsc.ok) return ifsc;
  return {
    ok: true,
    value: {
      kind: 'bank_account',
      normalized: `${ifsc.value}:${accountNumber}`,
      raw,
      accountNumber,
      ifsc: ifsc.value,
      bankCode: ifsc.value.slice(0, 4),
    },
  };
}

/** Upper-cases an IFSC; a letter O in the fifth place, which is always zero, is read as 0. */
export function normalizeIfsc(raw: string): Outcome<string> {
  const text = raw.replace(/\s/g, '').toUpperCase();
  if (text === '') return { ok: false, problem: 'an IFSC is required' };
  const ifsc = text.length === 11 && text[4] === 'O' ? `${text.slice(0, 4)}0${text.slice(5)}` : text;
  if (!IFSC.test(ifsc)) {
    return { ok: false, problem: 'an IFSC has 11 characters: 4 letters, then 0, then 6 letters or digits (like SBIN0001234)' };
  }
  return { ok: true, value: ifsc };
}
