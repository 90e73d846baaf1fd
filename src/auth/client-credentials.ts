import { sha256Hex } from '../crypto/sha256.js';
/**
 * RFC 4648 base32, lower case: 32 symbols, so each random byte maps to one without bias (256 is
 * a multiple of 32): 5 bits a character. An alphabet whose size does not divide 256 would favour
 * its first symbols; the check below keeps it from becoming one.
 */
export const tokenAlphabet = 'abcdefghijklmnopqrstuvwxyz234567';
if (256 % tokenAlphabet.length !== 0 || new Set(tokenAlphabet).size !== tokenAlphabet.length) {
  throw new Error('the token alphabet must have distinct symbols and a size that divides 256');
}

/** `length` symbols, one per random byte; `fill` is the source of randomness (tests pass their own). */
export function randomToken(length: number, fill: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  const bytes = fill(new Uint8Array(length));
  return Array.from(bytes, (byte) => tokenAlphabet[byte % tokenAlphabet.length]).join('');
}

/**
 * Secrets are 260 bits of randomness (52 characters of 5 bits), so a fast hash is enough to store them: unlike a
 * password, nobody can guess one from a dictionary. Shown once; only the hash is kept.
 */
export async function hashClientSecret(secret: string): Promise<string> {
  return sha256Hex(secret);
}

export async function clientSecretMatches(secret: string, storedHash: string): Promise<boolean> {
  const presented = await hashClientSecret(secret);
  if (presented.length !== storedHash.length) return false;
  let difference = 0;
  for (let index = 0; index < presented.length; index++) difference |= presented.charCodeAt(index) ^ storedHash.charCodeAt(index);
  return difference === 0;
}

export async function newClientCredentials(): Promise<{ clientId: string; clientSecret: string; secretHash: string }> {
  const clientId = `cli_${randomToken(20)}`;
  const clientSecret = `sec_${randomToken(52)}`;
  return { clientId, clientSecret, secretHash: await hashClientSecret(clientSecret) };
}

export async function newClientSecret(): Promise<{ clientSecret: string; secretHash: string }> {
  const clientSecret = `sec_${randomToken(52)}`;
  return { clientSecret, secretHash: await hashClientSecret(clientSecret) };
}
