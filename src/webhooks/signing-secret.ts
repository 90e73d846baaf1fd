/**
 * Standard Webhooks signing secrets: `whsec_` followed by the base64 of 24 to 64 random bytes
 * (https://www.standardwebhooks.com). Web Crypto only, so it runs in workerd and in Node.
 */

export const signingSecretPrefix = 'whsec_';
export const signingSecretMinBytes = 24;
export const signingSecretMaxBytes = 64;
export const signingSecretDefaultBytes = 32;

export type SigningSecretCheck = { ok: true } | { ok: false; reason: string };

export function generateSigningSecret(byteLength: number = signingSecretDefaultBytes): string {
  if (!Number.isInteger(byteLength) || byteLength < signingSecretMinBytes || byteLength > signingSecretMaxBytes) {
    throw new RangeError(`a signing secret has ${signingSecretMinBytes} to ${signingSecretMaxBytes} bytes, not ${byteLength}`);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(byteLength));
  return signingSecretPrefix + btoa(String.fromCharCode(...bytes));
}

const canonicalBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export function checkSigningSecret(secret: string): SigningSecretCheck {
  if (!secret.startsWith(signingSecretPrefix)) return { ok: false, reason: `must start with ${signingSecretPrefix}` };
  const encoded = secret.slice(signingSecretPrefix.length);
  if (encoded === '' || !canonicalBase64.test(encoded)) return { ok: false, reason: `must be ${signingSecretPrefix} followed by standard base64` };
  const byteLength = atob(encoded).length;
  if (byteLength < signingSecretMinBytes || byteLength > signingSecretMaxBytes) {
    return { ok: false, reason: `must hold ${signingSecretMinBytes} to ${signingSecretMaxBytes} bytes, not ${byteLength}` };
  }
  return { ok: true };
}

export function isSigningSecret(secret: string): boolean {
  return checkSigningSecret(secret).ok;
}
