import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.js';
import { cachedPrincipal, forgetVerifiedTokens, rememberPrincipal, tokenDigest, verifiedTokenMilliseconds } from '../../src/auth/verified-token-cache.js';

const principal = (issuer: string): Principal => ({
  issuer,
  subject: 'officer-1',
  roles: ['investigating_officer'],
  scopes: [],
  tenancy: { level: 'station', unitCode: 'MH', districtCode: 'MH-PUNE', stationCode: 'MH-PUNE-KOTHRUD' } as Principal['tenancy'],
  permissions: new Set(),
});

const at = Date.UTC(2031, 0, 1);

describe('the cache of verified tokens', () => {
  it('answers for a token until the earliest of its exp, the freshness it was verified with, and a minute', () => {
    const officer = principal('https://sso.a.example/');
    rememberPrincipal('token-exp', officer.issuer, officer, at + 10_000, at);
    expect(cachedPrincipal('token-exp', at + 9_999)).toBe(officer);
    expect(cachedPrincipal('token-exp', at + 10_000)).toBeUndefined();

    rememberPrincipal('token-long', officer.issuer, officer, at + 3_600_000, at);
    expect(cachedPrincipal('token-long', at + verifiedTokenMilliseconds - 1)).toBe(officer);
    expect(cachedPrincipal('token-long', at + verifiedTokenMilliseconds)).toBeUndefined();

    rememberPrincipal('token-expired', officer.issuer, officer, at - 1, at);
    expect(cachedPrincipal('token-expired', at)).toBeUndefined();
    expect(cachedPrincipal('never-seen', at)).toBeUndefined();
  });

  it("forgets an issuer's tokens at once when its registration changes, and only that issuer's", () => {
    const [a, b] = [principal('https://sso.forget-a.example/'), principal('https://sso.forget-b.example/')];
    rememberPrincipal('token-a', a.issuer, a, at + 30_000, at);
    rememberPrincipal('token-b', b.issuer, b, at + 30_000, at);
    forgetVerifiedTokens(a.issuer);
    expect(cachedPrincipal('token-a', at + 1)).toBeUndefined();
    expect(cachedPrincipal('token-b', at + 1)).toBe(b);
  });

  it('knows a token by its SHA-256 only', async () => {
    const digest = await tokenDigest('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJvZmZpY2VyIn0.c2ln');
    expect(digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await tokenDigest('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJvZmZpY2VyIn0.c2lo')).not.toBe(digest);
    // RFC 6234's test vector for "abc".
    expect(await tokenDigest('abc')).toBe('ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0');
  });

  it('holds a bounded number of tokens, dropping the oldest first', () => {
    const officer = principal('https://sso.bounded.example/');
    for (let index = 0; index <= 5_000; index += 1) rememberPrincipal(`bounded-${index}`, officer.issuer, officer, at + 30_000, at);
    expect(cachedPrincipal('bounded-0', at + 1)).toBeUndefined();
    expect(cachedPrincipal('bounded-5000', at + 1)).toBe(officer);
  });
});
