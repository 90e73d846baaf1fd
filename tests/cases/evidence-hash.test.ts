import { describe, expect, it } from 'vitest';
import { bytesOfBase64, sha256OfBytes } from '../../src/cases/evidence-hash.js';

const utf8 = (text: string) => new TextEncoder().encode(text);

describe('sha256OfBytes', () => {
  it.each([
    ['the empty input', utf8(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc" (FIPS 180-2)', utf8('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['the two-block FIPS 180-2 message', utf8('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ['"hello"', utf8('hello'), '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'],
    ['a million "a"s', new Uint8Array(1_000_000).fill(0x61), 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0'],
  ])('hashes %s to the known digest', async (_name, bytes, digest) => {
    expect(await sha256OfBytes(bytes)).toBe(digest);
  });

  it('writes every byte as two lower-case hex digits, leading zeros kept', async () => {
    // The digest of "abc" has the byte 0x01 in it; a dropped zero would shorten the text.
    const hash = await sha256OfBytes(utf8('abc'));
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash.slice(8, 12)).toBe('8f01');
  });

  it('hashes UTF-8 bytes beyond ASCII as coreutils sha256sum does, and one flipped bit changes the digest', async () => {
    const note = utf8('पीड़ित ने ₹5,000 दिए');
    expect(await sha256OfBytes(note)).toBe('e4b93eecb47c89e65fcae76018251bc979f203b908a3c70d1511072109334221');
    const changed = note.slice();
    changed[0] = changed[0]! ^ 0x01;
    expect(await sha256OfBytes(changed)).not.toBe('e4b93eecb47c89e65fcae76018251bc979f203b908a3c70d1511072109334221');
  });
});

describe('bytesOfBase64', () => {
  const text = (bytes: Uint8Array | undefined) => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

  it('decodes standard base64, padded or not, and ignores whitespace such as line breaks', () => {
    expect(text(bytesOfBase64('aGVsbG8='))).toBe('hello');
    expect(text(bytesOfBase64('aGVsbG8'))).toBe('hello');
    expect(text(bytesOfBase64('aGVs\r\nbG8=\n'))).toBe('hello');
    expect(text(bytesOfBase64('YWJj'))).toBe('abc');
    expect(text(bytesOfBase64('YQ=='))).toBe('a');
    expect(bytesOfBase64('')).toEqual(new Uint8Array(0));
  });

  it('decodes URL-safe base64 to the same bytes as standard', () => {
    expect(bytesOfBase64('+/+/')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
    expect(bytesOfBase64('-_-_')).toEqual(new Uint8Array([0xfb, 0xff, 0xbf]));
    expect(bytesOfBase64('_-8')).toEqual(new Uint8Array([0xff, 0xef]));
    expect(bytesOfBase64('/+8=')).toEqual(new Uint8Array([0xff, 0xef]));
  });

  it('keeps every byte value, 0 to 255', () => {
    const all = Uint8Array.from({ length: 256 }, (_, index) => index);
    const encoded = btoa(String.fromCharCode(...all));
    expect(bytesOfBase64(encoded)).toEqual(all);
    expect(bytesOfBase64(encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))).toEqual(all);
  });

  it.each([
    ['a character outside the alphabet', 'aGVs!bG8='],
    ['text that is not base64 at all', 'not base64?'],
    ['padding in the middle', 'aG=VsbG8'],
    ['three padding characters', 'aGVsbA==='],
    ['a length that leaves a single character over', 'aGVsb'],
    ['padding that does not complete a quantum', 'YQ='],
  ])('answers undefined for %s', (_name, input) => {
    expect(bytesOfBase64(input)).toBeUndefined();
  });
});
