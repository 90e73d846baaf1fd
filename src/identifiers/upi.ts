import type { Outcome } from './outcome.js';

export interface NormalizedUpi {
  kind: 'upi';
  /** The virtual payment address, lower-cased: handle@psp. */
  normalized: string;
  raw: string;
  /** The part before @ (often a phone number or a name). */
  handle: string;
  /** The payment service provider's handle after @, e.g. "okaxis", "ybl". */
  provider: string;
}

// NPCI's VPA shape: 2–256 of letters, digits, dot, dash, underscore, then @ and the PSP handle.
const VPA_HANDLE = /^[a-z0-9._-]{2,256}$/;
// PSP handles are single words (okaxis, ybl, paytm); NPCI's own account forms end in .npci
// (e.g. 1234567890@sbin0001234.ifsc.npci).
const PSP_HANDLE = /^[a-z][a-z0-9]{1,63}$/;
const NPCI_PSP_HANDLE = /^[a-z0-9]+(\.[a-z0-9]+)*\.npci$/;

/**
 * Lower-cases and checks a UPI address. A UPI payment link or QR text (`upi://pay?pa=…`) is
 * accepted too: its payee address (`pa`) is the identifier, the whole link stays as raw.
 */
export function normalizeUpi(raw: string): Outcome<NormalizedUpi> {
  let text = raw.trim();
  if (/^upi:/i.test(text)) {
    const payee = payeeOfPaymentLink(text);
    if (payee === undefined) return { ok: false, problem: 'this UPI link has no payee address (pa=…)' };
    text = payee.trim();
  }
  text = text.toLowerCase();
  if (text === '') return { ok: false, problem: 'a UPI address is required' };
  if (/\s/.test(text)) return { ok: false, problem: 'a UPI address has no spaces' };
  const at = text.indexOf('@');
  if (at === -1 || at !== text.lastIndexOf('@')) {
    return { ok: false, problem: 'a UPI address has exactly one @, as in name@okaxis' };
  }
  const handle = text.slice(0, at);
  const provider = text.slice(at + 1);
  if (!VPA_HANDLE.test(handle)) {
    return { ok: false, problem: 'the part of a UPI address before @ has 2 to 256 letters, digits, dots, dashes or underscores' };
  }
  if (!PSP_HANDLE.test(provider) && !NPCI_PSP_HANDLE.test(provider)) {
    if (provider.includes('.')) {
      return { ok: false, problem: 'the part of a UPI address after @ is one word, as in @okaxis or @ybl; this looks like an e-mail address' };
    }
    return { ok: false, problem: 'the part of a UPI address after @ is the provider handle: letters and digits, as in @okaxis or @ybl' };
  }
  return { ok: true, value: { kind: 'upi', normalized: `${handle}@${provider}`, raw, handle, provider } };
}

function payeeOfPaymentLink(link: string): string | undefined {
  try {
    return new URL(link).searchParams.get('pa') ?? undefined;
  } catch {
    return undefined;
  }
}
