import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Personal data as a caller without `personal:read` sees it: enough to recognise a record
 * over the phone, not enough to contact or identify anyone.
 */

/** What stands in for free text about the people in a case (the narrative, a note). */
export const WITHHELD_TEXT = '(withheld: needs personal:read)';

/** `+919812345610` → `+91 98xxxxxx10`. */
export function maskPhone(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return 'x'.repeat(e164.length);
  const national = String(phone.nationalNumber);
  const shown = national.length > 6 ? `${national.slice(0, 2)}${'x'.repeat(national.length - 4)}${national.slice(-2)}` : 'x'.repeat(national.length);
  return `+${phone.countryCallingCode} ${shown}`;
}

/** `ravi.kumar@gmail.com` → `r***@g***.com`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${email[0]}***@${domain[0] ?? ''}***${tld}`;
}

/** `Ravi Kumar Sharma` → `R. K. S.` */
export function maskName(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${Array.from(part)[0]!.toUpperCase()}.`)
    .join(' ');
}

export interface Person {
  name?: string;
  phone?: string;
  email?: string;
  address?: string;
  [field: string]: unknown;
}

export function maskPerson<T extends Person>(person: T): T {
  return {
    ...person,
    ...(person.name !== undefined && { name: maskName(person.name) }),
    ...(person.phone !== undefined && { phone: maskPhone(person.phone) }),
    ...(person.email !== undefined && { email: maskEmail(person.email) }),
    ...(person.address !== undefined && { address: '(withheld)' }),
  };
}
