import { sha256Hex } from '../crypto/sha256.js';

/** SHA-256 of the bytes an officer captured, as lower-case hex (what the BSA s.63 certificate quotes). */
export function sha256OfBytes(bytes: Uint8Array): Promise<string> {
  return sha256Hex(bytes);
}

/** Decodes standard or URL-safe base64; undefined when the text is not base64. */
export function bytesOfBase64(text: string): Uint8Array | undefined {
  const standard = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(standard) || standard.length % 4 === 1) return undefined;
  try {
    return Uint8Array.from(atob(standard), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}
