import type { Outcome } from './outcome.js';

export interface NormalizedEmail {
  kind: 'email';
  /** local@domain, all lower-case, the domain in its ASCII (punycode) form. */
  normalized: string;
  raw: string;
  localPart: string;
  domain: string;
}

// Unquoted (dot-atom) local parts, with letters (and their combining marks) of any script.
const LOCAL_ATOM = /^[\p{L}\p{M}\p{N}!#$%&'*+/=?^_`{|}~-]+$/u;
const DOMAIN_CHARACTERS = /^[\p{L}\p{M}\p{N}.-]+$/u;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * The local part is lower-cased as well as the domain. RFC 5321 lets a server treat
 * `Ravi@` and `ravi@` as two mailboxes, but no large provider does, and linking cases matters
 * more here than that corner. Provider-specific folding (Gmail's dots and +tags) is not done:
 * it would merge distinct mailboxes at every other provider.
 */
export function normalizeEmail(raw: string): Outcome<NormalizedEmail> {
  const text = raw.trim().replace(/^mailto:/i, '');
  if (text === '') return { ok: false, problem: 'an e-mail address is required' };
  if (text.length > 254) return { ok: false, problem: 'an e-mail address has at most 254 characters' };
  if (/\s/.test(text)) return { ok: false, problem: 'an e-mail address has no spaces' };
  const at = text.lastIndexOf('@');
  if (at === -1) return { ok: false, problem: 'an e-mail address has an @, as in name@example.com' };
  const localPart = text.slice(0, at).toLowerCase().normalize('NFC');
  const domainText = text.slice(at + 1).replace(/\.$/, '');
  if (localPart === '') return { ok: false, problem: 'an e-mail address has a name before the @' };
  if (localPart.length > 64) return { ok: false, problem: 'the part of an e-mail address before @ has at most 64 characters' };
  if (localPart.includes('@') || localPart.startsWith('"')) {
    return { ok: false, problem: 'an e-mail address has exactly one @ (quoted names are not accepted)' };
  }
  if (!localPart.split('.').every((atom) => LOCAL_ATOM.test(atom))) {
    return { ok: false, problem: 'the part of an e-mail address before @ has letters, digits and symbols such as . _ + -, with no dot at either end or two dots in a row' };
  }
  const domain = asciiDomain(domainText);
  if (domain === undefined) return { ok: false, problem: 'the part of an e-mail address after @ is a domain name like example.com' };
  return { ok: true, value: { kind: 'email', normalized: `${localPart}@${domain}`, raw, localPart, domain } };
}

/** A registrable-looking domain name in lower-case ASCII (international names as punycode), or undefined. */
export function asciiDomain(text: string): string | undefined {
  if (!DOMAIN_CHARACTERS.test(text)) return undefined;
  let domain: string;
  try {
    domain = new URL(`http://${text}`).hostname;
  } catch {
    return undefined;
  }
  const labels = domain.split('.');
  if (labels.length < 2 || domain.length > 253) return undefined;
  if (!labels.every((label) => DOMAIN_LABEL.test(label))) return undefined;
  return TOP_LEVEL_DOMAIN.test(labels.at(-1)!) ? domain : undefined;
}
