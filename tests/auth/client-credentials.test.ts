import { afterEach, describe, expect, it, vi } from 'vitest';
import { newClientCredentials, newClientSecret, randomToken, tokenAlphabet } from '../../src/auth/client-credentials.js';

/** A stand-in for crypto.getRandomValues that hands out 0, 1, 2, … 255, 0, 1, …: every byte value equally often. */
function countingBytes() {
  let next = 0;
  return <T extends ArrayBufferView | null>(array: T): T => {
    const bytes = array as unknown as Uint8Array;
    for (let index = 0; index < bytes.length; index++) bytes[index] = next++ % 256;
    return array;
  };
}

function symbolCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const symbol of text) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
  return counts;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('client ids and secrets', () => {
  it('draw every symbol equally often from evenly spread random bytes (no modulo bias)', async () => {
    vi.spyOn(crypto, 'getRandomValues').mockImplementation(countingBytes());
    // 64 secrets of 52 random bytes each: 3,328 bytes, every byte value exactly 13 times.
    const secrets = await Promise.all(Array.from({ length: 64 }, () => newClientSecret()));
    const counts = symbolCounts(secrets.map(({ clientSecret }) => clientSecret.slice('sec_'.length)).join(''));
    expect(counts.size).toBe(32);
    expect(new Set(counts.values())).toEqual(new Set([(13 * 256) / 32]));
  });

  it('use an alphabet of 32 distinct symbols, so a byte maps to one without bias', () => {
    expect(tokenAlphabet).toHaveLength(32);
    expect(256 % tokenAlphabet.length).toBe(0);
    expect(new Set(tokenAlphabet).size).toBe(32);
    expect(randomToken(256, countingBytes())).toBe(tokenAlphabet.repeat(8));
  });

  it('look as documented: cli_ and 20 symbols, sec_ and 52 (260 bits)', async () => {
    const { clientId, clientSecret, secretHash } = await newClientCredentials();
    expect(clientId).toMatch(/^cli_[a-z2-7]{20}$/);
    expect(clientSecret).toMatch(/^sec_[a-z2-7]{52}$/);
    expect(secretHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
