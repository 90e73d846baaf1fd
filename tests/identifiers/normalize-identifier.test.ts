import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { luhnCheckDigit } from '../../src/identifiers/imei.js';
import {
  IDENTIFIER_KINDS,
  KNOWN_PLATFORMS,
  normalizeIdentifier,
  normalizeIdentifierKey,
  type IdentifierInput,
  type NormalizedIdentifier,
} from '../../src/identifiers/normalize-identifier.js';

function normalized(input: IdentifierInput): NormalizedIdentifier {
  const result = normalizeIdentifier(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to normalise, got: ${result.problem}`);
  return result.value;
}

function problemOf(input: IdentifierInput): string {
  const result = normalizeIdentifier(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused, got ${result.value.normalized}`);
  return result.problem;
}

/** Normalising the normalised form, written as one key, gives the same identifier. */
function expectIdempotent(value: NormalizedIdentifier) {
  const again = normalizeIdentifierKey(value.kind, value.normalized);
  expect(again).toMatchObject({ ok: true, value: { kind: value.kind, normalized: value.normalized } });
  if (value.kind === 'url' && again.ok && again.value.kind === 'url') {
    expect(again.value.derived?.normalized).toBe(value.derived?.normalized);
  }
}

describe('phone', () => {
  it.each([
    ['9876543210', '+919876543210'],
    ['98765 43210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['+91-98765-43210', '+919876543210'],
    ['(+91) 98765 43210', '+919876543210'],
    ['+91.98765.43210', '+919876543210'],
    ['098765 43210', '+919876543210'],
    ['0 98765 43210', '+919876543210'],
    ['0091 98765 43210', '+919876543210'],
    ['00919876543210', '+919876543210'],
    ['919876543210', '+919876543210'],
    ['  +919876543210  ', '+919876543210'],
    ['tel:+919876543210', '+919876543210'],
    ['6012345678', '+916012345678'],
    ['022 2266 0000', '+912222660000'],
    ['+91 22 2266 0000', '+912222660000'],
    ['+1 415 555 2671', '+14155552671'],
    ['001 415 555 2671', '+14155552671'],
    ['+44 7911 123456', '+447911123456'],
    ['+971 50 123 4567', '+971501234567'],
    ['+92 300 1234567', '+923001234567'],
    ['+880 1712-345678', '+8801712345678'],
    ['+977 981 2345678', '+9779812345678'],
    ['+86 138 0013 8000', '+8613800138000'],
  ])('%s → %s', (raw, expected) => {
    const value = normalized({ kind: 'phone', value: raw });
    expect(value).toMatchObject({ kind: 'phone', normalized: expected, raw });
    expectIdempotent(value);
  });

  it('reports the calling code and, where the range settles it, the country', () => {
    expect(normalized({ kind: 'phone', value: '98765 43210' })).toMatchObject({ callingCode: '91', country: 'IN' });
    expect(normalized({ kind: 'phone', value: '+1 415 555 2671' })).toMatchObject({ callingCode: '1', country: 'US' });
  });

  it.each([
    ['', 'required'],
    ['   ', 'required'],
    ['12345', 'too few digits for an Indian number'],
    ['98765 4321', 'not a valid Indian number: a mobile number has 10 digits'],
    ['98765 432100', 'not a valid Indian number'],
    ['+91 98765 4321', 'not a valid Indian number'],
    ['+91 98765 432100 123', 'too many digits for an Indian number'],
    ['+91 98', 'too few digits for an Indian number'],
    ['+44 7911 12345', 'for a number with country code +44'],
    ['+1 415 555', 'too few digits for a number with country code +1'],
    ['1-800-FLOWERS', 'no letters'],
    ['+91 98765 43210 ext. 12', 'no letters or extensions'],
    ['+919876543210;ext=1', 'digits, an optional leading +'],
    ['98765/43210', 'digits, an optional leading +'],
    ['++919876543210', 'digits, an optional leading +'],
    ['+0 123 456 789', 'unknown country code'],
    ['1'.repeat(41), 'too long'],
    ['1930', 'too few digits'],
  ])('refuses %j: %s', (raw, problem) => {
    expect(problemOf({ kind: 'phone', value: raw })).toContain(problem);
  });
});

describe('upi', () => {
  it.each([
    ['ravi.k@okaxis', 'ravi.k@okaxis'],
    ['Ravi.K@OKAXIS', 'ravi.k@okaxis'],
    ['  9876543210@ybl  ', '9876543210@ybl'],
    ['9876543210-2@paytm', '9876543210-2@paytm'],
    ['ravi_k@oksbi', 'ravi_k@oksbi'],
    ['merchant.123@axisbank', 'merchant.123@axisbank'],
    ['1234567890@sbin0001234.ifsc.npci', '1234567890@sbin0001234.ifsc.npci'],
    ['upi://pay?pa=Ravi.K@OkAxis&pn=Ravi&am=500&cu=INR', 'ravi.k@okaxis'],
    ['UPI://pay?pn=Ravi&pa=ravi.k%40okaxis', 'ravi.k@okaxis'],
  ])('%s → %s', (raw, expected) => {
    const value = normalized({ kind: 'upi', value: raw });
    expect(value).toMatchObject({ kind: 'upi', normalized: expected, raw });
    expectIdempotent(value);
  });

  it('splits the handle and the provider', () => {
    expect(normalized({ kind: 'upi', value: 'Ravi.K@OKAXIS' })).toMatchObject({ handle: 'ravi.k', provider: 'okaxis' });
  });

  it.each([
    ['', 'required'],
    ['ravi.k', 'exactly one @'],
    ['ravi@k@okaxis', 'exactly one @'],
    ['ravi k@okaxis', 'no spaces'],
    ['r@okaxis', 'before @ has 2 to 256'],
    ['ravi!@okaxis', 'before @ has 2 to 256'],
    ['ravi@', 'provider handle'],
    ['ravi@ok-axis', 'provider handle'],
    ['ravi@1bank', 'provider handle'],
    ['ravi.k@gmail.com', 'looks like an e-mail address'],
    ['upi://pay?pn=Ravi&am=500', 'no payee address'],
  ])('refuses %j: %s', (raw, problem) => {
    expect(problemOf({ kind: 'upi', value: raw })).toContain(problem);
  });
});

describe('bank_account', () => {
  it.each([
    ['12345678901', 'SBIN0001234', 'SBIN0001234:12345678901'],
    ['1234 5678 901', 'sbin0001234', 'SBIN0001234:12345678901'],
    ['1234-5678-901', ' SBIN 0001234 ', 'SBIN0001234:12345678901'],
    ['00001234567890', 'HDFC0000123', 'HDFC0000123:00001234567890'],
    ['123456789', 'ICIC0ABC123', 'ICIC0ABC123:123456789'],
    ['123456789012345678', 'UTIB0000001', 'UTIB0000001:123456789012345678'],
    ['12345678901', 'SBINO001234', 'SBIN0001234:12345678901'],
    ['12345678901', 'sbino001234', 'SBIN0001234:12345678901'],
  ])('%s at %s → %s', (accountNumber, ifsc, expected) => {
    const value = normalized({ kind: 'bank_account', accountNumber, ifsc });
    expect(value).toMatchObject({ kind: 'bank_account', normalized: expected, raw: { accountNumber, ifsc } });
    expectIdempotent(value);
  });

  it('keeps leading zeros and names the bank', () => {
    expect(normalized({ kind: 'bank_account', accountNumber: '000123456789', ifsc: 'kkbk0000958' })).toMatchObject({
      accountNumber: '000123456789',
      ifsc: 'KKBK0000958',
      bankCode: 'KKBK',
    });
  });

  it.each([
    ['', 'SBIN0001234', 'account number is required'],
    ['12345678', 'SBIN0001234', '9 to 18 digits; this one has 8'],
    ['1234567890123456789', 'SBIN0001234', '9 to 18 digits; this one has 19'],
    ['12345678901A', 'SBIN0001234', 'digits only'],
    ['12345678901', '', 'IFSC is required'],
    ['12345678901', 'SBIN1001234', '4 letters, then 0, then 6'],
    ['12345678901', 'SBI00001234', '4 letters, then 0, then 6'],
    ['12345678901', 'SBIN000123', '4 letters, then 0, then 6'],
    ['12345678901', 'SBIN00012345', '4 letters, then 0, then 6'],
    ['12345678901', 'SBIN0-01234', '4 letters, then 0, then 6'],
  ])('refuses %j at %j: %s', (accountNumber, ifsc, problem) => {
    expect(problemOf({ kind: 'bank_account', accountNumber, ifsc })).toContain(problem);
  });
});

describe('email', () => {
  it.each([
    ['ravi.k@example.com', 'ravi.k@example.com'],
    ['Ravi.K@Example.COM', 'ravi.k@example.com'],
    ['  ravi@gmail.com ', 'ravi@gmail.com'],
    ['mailto:Ravi@Gmail.com', 'ravi@gmail.com'],
    ['ravi.k+tag@gmail.com', 'ravi.k+tag@gmail.com'],
    ['r.a.v.i@gmail.com', 'r.a.v.i@gmail.com'],
    ["o'neil_99@mail.co.in", "o'neil_99@mail.co.in"],
    ['ravi@example.com.', 'ravi@example.com'],
    ['ravi@bücher.example', 'ravi@xn--bcher-kva.example'],
    ['रवि@example.in', 'रवि@example.in'],
    ['ravi@sub.domain.xn--p1ai', 'ravi@sub.domain.xn--p1ai'],
  ])('%s → %s', (raw, expected) => {
    const value = normalized({ kind: 'email', value: raw });
    expect(value).toMatchObject({ kind: 'email', normalized: expected, raw });
    expectIdempotent(value);
  });

  it('splits the local part and the domain', () => {
    expect(normalized({ kind: 'email', value: 'Ravi@Example.COM' })).toMatchObject({ localPart: 'ravi', domain: 'example.com' });
  });

  it.each([
    ['', 'required'],
    ['ravi', 'has an @'],
    ['@example.com', 'a name before the @'],
    ['ravi@', 'domain name like example.com'],
    ['ravi@localhost', 'domain name like example.com'],
    ['ravi@example', 'domain name like example.com'],
    ['ravi@example.c0m', 'domain name like example.com'],
    ['ravi@[192.168.1.1]', 'domain name like example.com'],
    ['ravi@exa_mple.com', 'domain name like example.com'],
    ['ravi@-example.com', 'domain name like example.com'],
    ['ravi@example..com', 'domain name like example.com'],
    ['ra vi@example.com', 'no spaces'],
    ['ravi@k@example.com', 'exactly one @'],
    ['"ravi k"@example.com', 'no spaces'],
    ['"ravi"@example.com', 'quoted names are not accepted'],
    ['.ravi@example.com', 'no dot at either end'],
    ['ravi.@example.com', 'no dot at either end'],
    ['ra..vi@example.com', 'two dots in a row'],
    ['ravi()@example.com', 'symbols such as'],
    [`${'r'.repeat(65)}@example.com`, 'at most 64 characters'],
    [`ravi@${'a'.repeat(250)}.com`, 'at most 254 characters'],
  ])('refuses %j: %s', (raw, problem) => {
    expect(problemOf({ kind: 'email', value: raw })).toContain(problem);
  });
});

describe('platform_handle', () => {
  it.each([
    ['instagram', 'ravi.k_99', 'instagram:ravi.k_99'],
    ['Instagram', '@Ravi.K_99', 'instagram:ravi.k_99'],
    [' INSTAGRAM ', '  @ravi.k_99 ', 'instagram:ravi.k_99'],
    ['facebook', 'Ravi.Kumar.12', 'facebook:ravi.kumar.12'],
    ['x', '@RaviK', 'x:ravik'],
    ['twitter', '@RaviK', 'x:ravik'],
    ['telegram', '@Ravi_K_Bot', 'telegram:ravi_k_bot'],
    ['snapchat', 'ravi-k.99', 'snapchat:ravi-k.99'],
    ['youtube', '@RaviVlogs', 'youtube:ravivlogs'],
    ['youtube', '@रवि_वीडियो', 'youtube:रवि_वीडियो'],
    ['whatsapp', 'ravi.k', 'whatsapp:ravi.k'],
    ['google', 'Ravi.K', 'google:ravi.k'],
    ['other:tinder', 'Ravi_K', 'other:tinder:ravi_k'],
    ['Other: Free Fire', 'RaviFF', 'other:free-fire:raviff'],
    ['other:Bumble', '@ravi', 'other:bumble:ravi'],
    ['other:instagram', 'ravi', 'instagram:ravi'],
    ['other:Twitter', 'ravi', 'x:ravi'],
    ['instagram', 'ｒａｖｉ', 'instagram:ravi'],
  ])('%s / %s → %s', (platform, handle, expected) => {
    const value = normalized({ kind: 'platform_handle', platform, handle });
    expect(value).toMatchObject({ kind: 'platform_handle', normalized: expected, raw: { platform, handle } });
    expectIdempotent(value);
  });

  it('splits the platform and the handle', () => {
    expect(normalized({ kind: 'platform_handle', platform: 'Twitter', handle: '@RaviK' })).toMatchObject({ platform: 'x', handle: 'ravik' });
  });

  it.each([
    ['', 'ravi', 'platform is required'],
    ['instagarm', 'ravi', 'unknown platform: use one of instagram, facebook, whatsapp, snapchat, x, telegram, youtube, google, or other:<name>'],
    ['tinder', 'ravi', 'or other:<name> for any other app'],
    ['other:', 'ravi', "after other: comes the app's name"],
    ['other:-tinder', 'ravi', "after other: comes the app's name"],
    ['instagram', '', 'handle is required'],
    ['instagram', '@', 'handle is required'],
    ['instagram', 'instagram.com/ravi', 'record a profile link as kind url'],
    ['instagram', 'Ravi Kumar', 'a display name is not a handle'],
    ['instagram', 'ravi-k', 'an Instagram handle has up to 30 letters, digits, dots and underscores'],
    ['instagram', 'r'.repeat(31), 'an Instagram handle has up to 30'],
    ['x', 'ravi.k', 'an X handle has up to 15 letters, digits and underscores'],
    ['x', 'r'.repeat(16), 'an X handle has up to 15'],
    ['telegram', 'rav', 'a Telegram handle has 4 to 32'],
    ['telegram', '1ravi', 'starting with a letter'],
    ['snapchat', 'ra', 'a Snapchat handle has 3 to 15'],
    ['facebook', '100012345678901', 'record it as kind platform_account_id'],
    ['facebook', 'ravi_kumar', 'a Facebook handle has up to 50 letters, digits and dots'],
    ['youtube', '@ab', 'a YouTube handle has 3 to 30'],
    ['whatsapp', '+91 98765 43210', 'record it as kind phone'],
    ['whatsapp', '9876543210', 'record it as kind phone'],
    ['other:tinder', 'ravi#1', 'a tinder handle has up to 64'],
  ])('refuses %j / %j: %s', (platform, handle, problem) => {
    expect(problemOf({ kind: 'platform_handle', platform, handle })).toContain(problem);
  });
});

describe('platform_account_id', () => {
  it.each([
    ['facebook', '100012345678901', 'facebook:100012345678901'],
    ['Facebook', ' 100012345678901 ', 'facebook:100012345678901'],
    ['instagram', '0001234567', 'instagram:1234567'],
    ['x', '1234567890123456789', 'x:1234567890123456789'],
    ['twitter', '783214', 'x:783214'],
    ['telegram', '5123456789', 'telegram:5123456789'],
    ['other:tinder', '42', 'other:tinder:42'],
    ['snapchat', '18446744073709551615', 'snapchat:18446744073709551615'],
  ])('%s / %s → %s', (platform, accountId, expected) => {
    const value = normalized({ kind: 'platform_account_id', platform, accountId });
    expect(value).toMatchObject({ kind: 'platform_account_id', normalized: expected, raw: { platform, accountId } });
    expectIdempotent(value);
  });

  it.each([
    ['facebook', '', 'account id is required'],
    ['facebook', 'ravi.k', 'digits only); a username belongs in kind platform_handle'],
    ['facebook', '1000-1234-5678', 'digits only'],
    ['telegram', '-1001234567890', 'digits only'],
    ['facebook', '1e15', 'digits only'],
    ['facebook', '0000', 'not zero'],
    ['facebook', '1'.repeat(21), 'at most 20 digits'],
    ['myspace', '123', 'unknown platform'],
  ])('refuses %j / %j: %s', (platform, accountId, problem) => {
    expect(problemOf({ kind: 'platform_account_id', platform, accountId })).toContain(problem);
  });
});

describe('url', () => {
  it.each([
    ['https://example.com', 'https://example.com/'],
    ['https://example.com/', 'https://example.com/'],
    ['HTTPS://EXAMPLE.COM/Path/To/Page/', 'https://example.com/Path/To/Page'],
    ['https://example.com/a//', 'https://example.com/a'],
    ['http://example.com:80/a', 'http://example.com/a'],
    ['https://example.com:443/a', 'https://example.com/a'],
    ['https://example.com:8443/a', 'https://example.com:8443/a'],
    ['http://example.com/a', 'http://example.com/a'],
    ['https://www.example.com/a', 'https://example.com/a'],
    ['https://WWW.Example.com./a', 'https://example.com/a'],
    ['https://shop.example.com/a', 'https://shop.example.com/a'],
    ['https://www.example.co.in/a', 'https://example.co.in/a'],
    ['https://www.com/a', 'https://www.com/a'],
    ['example.com/a', 'https://example.com/a'],
    ['www.example.com/a?b=1', 'https://example.com/a?b=1'],
    ['example.com:8080/a', 'https://example.com:8080/a'],
    ['//example.com/a', 'https://example.com/a'],
    ['https://example.com/a#section-2', 'https://example.com/a'],
    ['https://user:secret@example.com/a', 'https://example.com/a'],
    ['https://example.com/a?b=2&a=1', 'https://example.com/a?a=1&b=2'],
    ['https://example.com/a?z=1&a=2&z=0', 'https://example.com/a?a=2&z=1&z=0'],
    ['https://example.com/a?utm_source=wa&utm_medium=chat&id=7', 'https://example.com/a?id=7'],
    ['https://example.com/a?UTM_Campaign=x&fbclid=abc&gclid=def', 'https://example.com/a'],
    ['https://example.com/a?igshid=abc&igsh=def&mibextid=ghi', 'https://example.com/a'],
    ['https://example.com/a?q=hello%20world', 'https://example.com/a?q=hello+world'],
    ['https://example.com/a?s=20', 'https://example.com/a?s=20'],
    ['https://bücher.example/a', 'https://xn--bcher-kva.example/a'],
    ['https://203.0.113.7/login', 'https://203.0.113.7/login'],
    ['http://[2001:db8::1]/a', 'http://[2001:db8::1]/a'],
    ['https://www.instagram.com/Ravi.K_99/?igsh=abc123&utm_source=qr#top', 'https://instagram.com/Ravi.K_99'],
    ['https://m.facebook.com/profile.php?id=100012345678901&mibextid=ZbWKwL', 'https://facebook.com/profile.php?id=100012345678901'],
    ['https://web.facebook.com/ravi.kumar.12?__cft__[0]=AZX&__tn__=R', 'https://facebook.com/ravi.kumar.12'],
    ['https://twitter.com/RaviK/status/123?s=20&t=abc', 'https://x.com/RaviK/status/123'],
    ['https://mobile.twitter.com/RaviK', 'https://x.com/RaviK'],
    ['https://telegram.me/ravi_k_bot', 'https://t.me/ravi_k_bot'],
    ['https://www.youtube.com/watch?v=abc&si=xyz&feature=share', 'https://youtube.com/watch?v=abc'],
    ['https://youtu.be/abc?si=xyz', 'https://youtu.be/abc'],
  ])('%s → %s', (raw, expected) => {
    const value = normalized({ kind: 'url', value: raw });
    expect(value).toMatchObject({ kind: 'url', normalized: expected, raw });
    expectIdempotent(value);
  });

  it.each([
    ['https://www.instagram.com/Ravi.K_99/', 'platform_handle', 'instagram:ravi.k_99'],
    ['instagram.com/ravi.k_99?igsh=abc', 'platform_handle', 'instagram:ravi.k_99'],
    ['https://instagr.am/ravi.k_99', 'platform_handle', 'instagram:ravi.k_99'],
    ['https://www.instagram.com/ravi.k_99/reels/', 'platform_handle', 'instagram:ravi.k_99'],
    ['https://www.instagram.com/stories/ravi.k_99/3301234567890/', 'platform_handle', 'instagram:ravi.k_99'],
    ['https://instagram.com/_u/ravi.k_99', 'platform_handle', 'instagram:ravi.k_99'],
    ['https://www.facebook.com/profile.php?id=100012345678901', 'platform_account_id', 'facebook:100012345678901'],
    ['https://m.facebook.com/profile.php?id=100012345678901&sk=about', 'platform_account_id', 'facebook:100012345678901'],
    ['https://www.facebook.com/people/Ravi-Kumar/100012345678901/', 'platform_account_id', 'facebook:100012345678901'],
    ['https://facebook.com/100012345678901', 'platform_account_id', 'facebook:100012345678901'],
    ['https://www.facebook.com/Ravi.Kumar.12', 'platform_handle', 'facebook:ravi.kumar.12'],
    ['https://fb.com/ravi.kumar.12/posts/123', 'platform_handle', 'facebook:ravi.kumar.12'],
    ['https://x.com/RaviK', 'platform_handle', 'x:ravik'],
    ['https://twitter.com/RaviK/status/1790000000000000000', 'platform_handle', 'x:ravik'],
    ['https://x.com/i/user/783214', 'platform_account_id', 'x:783214'],
    ['https://twitter.com/intent/user?user_id=783214', 'platform_account_id', 'x:783214'],
    ['https://twitter.com/intent/follow?screen_name=RaviK', 'platform_handle', 'x:ravik'],
    ['https://t.me/Ravi_K_Bot', 'platform_handle', 'telegram:ravi_k_bot'],
    ['https://t.me/s/ravi_channel', 'platform_handle', 'telegram:ravi_channel'],
    ['https://t.me/ravi_channel/1234', 'platform_handle', 'telegram:ravi_channel'],
    ['https://telegram.me/ravi_k_bot?start=abc', 'platform_handle', 'telegram:ravi_k_bot'],
    ['https://www.youtube.com/@RaviVlogs/videos', 'platform_handle', 'youtube:ravivlogs'],
    ['https://www.snapchat.com/add/ravi.k99?share_id=1', 'platform_handle', 'snapchat:ravi.k99'],
    ['https://wa.me/919876543210', 'phone', '+919876543210'],
    ['https://wa.me/+919876543210', 'phone', '+919876543210'],
    ['https://api.whatsapp.com/send?phone=919876543210&text=hi', 'phone', '+919876543210'],
  ])('%s names %s %s', (raw, kind, expected) => {
    const value = normalized({ kind: 'url', value: raw });
    expect(value.kind === 'url' && value.derived).toMatchObject({ kind, normalized: expected });
    expectIdempotent(value);
  });

  it.each([
    'https://www.instagram.com/p/C1a2B3c4D5e/',
    'https://www.instagram.com/reel/C1a2B3c4D5e/',
    'https://www.instagram.com/explore/tags/india/',
    'https://www.instagram.com/stories/highlights/1790000000/',
    'https://www.facebook.com/groups/123456/',
    'https://www.facebook.com/share/abcDEF/',
    'https://www.facebook.com/story.php?story_fbid=1&id=2',
    'https://www.facebook.com/permalink.php?story_fbid=1&id=2',
    'https://x.com/home',
    'https://x.com/search?q=ravi',
    'https://x.com/i/status/123',
    'https://t.me/joinchat/AbCdEf',
    'https://t.me/+AbCdEfGhIj',
    'https://t.me/c/1234567890/55',
    'https://www.youtube.com/watch?v=abc',
    'https://wa.me/message/ABCDEF',
    'https://wa.me/12',
    'https://example.com/ravi.k_99',
  ])('derives nothing from %s', (raw) => {
    const value = normalized({ kind: 'url', value: raw });
    expect(value.kind === 'url' && value.derived).toBeFalsy();
  });

  it('reports the canonical host', () => {
    expect(normalized({ kind: 'url', value: 'https://mobile.twitter.com/RaviK' })).toMatchObject({ host: 'x.com' });
    expect(normalized({ kind: 'url', value: 'https://www.Example.com/a' })).toMatchObject({ host: 'example.com' });
  });

  it.each([
    ['', 'required'],
    ['https://exa mple.com', 'no spaces'],
    ['https://example.com/a https://example.com/b', 'no spaces'],
    ['ftp://example.com/file', 'only http and https'],
    ['javascript:alert(1)', 'only http and https'],
    ['upi://pay?pa=ravi@okaxis', 'record it as kind upi'],
    ['mailto:ravi@example.com', 'record it as kind email'],
    ['tel:+919876543210', 'record it as kind phone'],
    ['https://localhost/a', 'domain name like example.com'],
    ['https://example/a', 'domain name like example.com'],
    ['https://exa_mple.com/a', 'domain name like example.com'],
    ['https://', 'not a web address'],
    ['https://example.com:99999/', 'not a web address'],
    [`https://example.com/${'a'.repeat(2048)}`, 'at most 2048 characters'],
  ])('refuses %j: %s', (raw, problem) => {
    expect(problemOf({ kind: 'url', value: raw })).toContain(problem);
  });
});

describe('imei', () => {
  it.each([
    ['490154203237518', '490154203237518', false],
    ['352099001761481', '352099001761481', false],
    ['35 209900 176148 1', '352099001761481', false],
    ['35-209900-176148-1', '352099001761481', false],
    ['35/209900/176148/1', '352099001761481', false],
    ['35209900176148', '352099001761481', true],
    ['49015420323751', '490154203237518', true],
    ['  86 123456 789012  ', `86123456789012${luhnCheckDigit('86123456789012')}`, true],
  ])('%s → %s', (raw, expected, checkDigitComputed) => {
    const value = normalized({ kind: 'imei', value: raw });
    expect(value).toMatchObject({ kind: 'imei', normalized: expected, raw, checkDigitComputed, tac: expected.slice(0, 8) });
    expectIdempotent(value);
  });

  it('computes the Luhn check digit', () => {
    expect(luhnCheckDigit('49015420323751')).toBe('8');
    expect(luhnCheckDigit('35209900176148')).toBe('1');
    expect(luhnCheckDigit('00000000000000')).toBe('0');
  });

  it.each([
    ['', 'required'],
    ['35209900176148X', 'digits only'],
    ['3520990017614', 'has 13'],
    ['3520990017614812', 'has 16'],
    ['352099001761480', 'should be 1'],
    ['352099001761480', 'enter the first 14 digits'],
    ['490154203237519', 'should be 8'],
    ['000000000000000', 'placeholder'],
    ['00000000000000', 'placeholder'],
  ])('refuses %j: %s', (raw, problem) => {
    expect(problemOf({ kind: 'imei', value: raw })).toContain(problem);
  });
});

describe('linking', () => {
  it('a profile link and the handle it names normalise to the same identifier', () => {
    const pairs: [string, IdentifierInput][] = [
      ['https://www.instagram.com/Ravi.K_99/?igsh=x', { kind: 'platform_handle', platform: 'Instagram', handle: '@ravi.k_99' }],
      ['https://twitter.com/RaviK', { kind: 'platform_handle', platform: 'x', handle: 'raviK' }],
      ['https://t.me/Ravi_K_Bot', { kind: 'platform_handle', platform: 'telegram', handle: '@ravi_k_bot' }],
      ['https://m.facebook.com/profile.php?id=100012345678901', { kind: 'platform_account_id', platform: 'facebook', accountId: '100012345678901' }],
      ['https://wa.me/919876543210', { kind: 'phone', value: '098765 43210' }],
    ];
    for (const [link, direct] of pairs) {
      const url = normalized({ kind: 'url', value: link });
      const other = normalized(direct);
      expect(url.kind === 'url' && url.derived).toMatchObject({ kind: other.kind, normalized: other.normalized });
    }
  });

  it('every spelling of one Indian mobile number links', () => {
    const spellings = ['9876543210', '+91 98765 43210', '098765-43210', '0091 9876543210', '91 98765 43210', '(+91) 98765 43210'];
    expect(new Set(spellings.map((value) => normalized({ kind: 'phone', value }).normalized))).toEqual(new Set(['+919876543210']));
  });

  it('the same page shared from different apps links', () => {
    const shares = [
      'https://www.instagram.com/ravi.k_99/?igsh=MWQ1ZGUxMzBkMA==',
      'https://instagram.com/ravi.k_99?utm_source=ig_web_copy_link',
      'https://m.instagram.com/ravi.k_99/#',
      'instagram.com/ravi.k_99',
    ];
    expect(new Set(shares.map((value) => normalized({ kind: 'url', value }).normalized))).toEqual(new Set(['https://instagram.com/ravi.k_99']));
  });

  it('http and https links stay distinct, but a profile link names the same handle either way', () => {
    const secure = normalized({ kind: 'url', value: 'https://instagram.com/ravi.k_99' });
    const plain = normalized({ kind: 'url', value: 'http://instagram.com/ravi.k_99' });
    expect(plain.normalized).not.toBe(secure.normalized);
    expect(plain.kind === 'url' && plain.derived?.normalized).toBe('instagram:ravi.k_99');
    expect(secure.kind === 'url' && secure.derived?.normalized).toBe('instagram:ravi.k_99');
  });
});

describe('normalizeIdentifierKey', () => {
  it.each([
    ['platform_handle', 'other:tinder:ravi', 'other:tinder:ravi'],
    ['platform_handle', 'Instagram:@Ravi', 'instagram:ravi'],
    ['platform_account_id', 'twitter:0783214', 'x:783214'],
    ['bank_account', 'sbin0001234:1234 5678 901', 'SBIN0001234:12345678901'],
    ['phone', '098765 43210', '+919876543210'],
  ])('%s %s → %s', (kind, key, expected) => {
    expect(normalizeIdentifierKey(kind, key)).toMatchObject({ ok: true, value: { kind, normalized: expected } });
  });

  it.each([
    ['passport', 'A1234567', 'unknown identifier kind'],
    ['platform_handle', 'ravi', 'written <platform>:<handle>'],
    ['platform_account_id', '123', 'written <platform>:<account id>'],
    ['bank_account', 'SBIN0001234', 'written <IFSC>:<account number>'],
  ])('refuses %s %j: %s', (kind, key, problem) => {
    expect(normalizeIdentifierKey(kind, key)).toMatchObject({ ok: false, problem: expect.stringContaining(problem) });
  });
});

describe('normalizeIdentifier guards', () => {
  it('refuses an unknown kind', () => {
    expect(normalizeIdentifier({ kind: 'passport', value: 'A1234567' } as unknown as IdentifierInput)).toMatchObject({
      ok: false,
      problem: expect.stringContaining(`unknown identifier kind: use one of ${IDENTIFIER_KINDS.join(', ')}`),
    });
  });

  it('refuses a field that is not a string instead of throwing', () => {
    expect(normalizeIdentifier({ kind: 'phone', value: null } as unknown as IdentifierInput)).toEqual({ ok: false, problem: 'value must be a string' });
    expect(normalizeIdentifier({ kind: 'bank_account', accountNumber: '12345678901' } as unknown as IdentifierInput)).toEqual({
      ok: false,
      problem: 'ifsc must be a string',
    });
  });

  it('does not echo the refused value in the problem', () => {
    const refused: IdentifierInput[] = [
      { kind: 'phone', value: '98765 4321' },
      { kind: 'upi', value: 'ravi.k@gmail.com' },
      { kind: 'email', value: 'ravi.k@localhost' },
      { kind: 'bank_account', accountNumber: '12345678', ifsc: 'SBIN0001234' },
      { kind: 'platform_handle', platform: 'x', handle: 'ravi.kumar.1999' },
      { kind: 'url', value: 'https://localhost/secret' },
      { kind: 'imei', value: '352099001761480' },
    ];
    for (const input of refused) {
      const values = Object.entries(input).filter(([field]) => field !== 'kind').map(([, value]) => value as string);
      const problem = problemOf(input);
      for (const value of values) expect(problem).not.toContain(value);
    }
  });
});

describe('properties', () => {
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const separator = fc.constantFrom('', ' ', '-', '.', '  ');
  const casing = (text: string, upper: boolean[]) => [...text].map((char, index) => (upper[index % upper.length] ? char.toUpperCase() : char)).join('');

  it('never throws, whatever the text, for every kind', () => {
    fc.assert(
      fc.property(fc.constantFrom(...IDENTIFIER_KINDS), fc.string({ unit: 'binary', maxLength: 80 }), (kind, text) => {
        const result = normalizeIdentifierKey(kind, text);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) expectIdempotent(result.value);
      }),
      { numRuns: 2000 },
    );
  });

  it('every spelling of an Indian mobile number gives +91 and the ten digits, and is idempotent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('6', '7', '8', '9'),
        digits(9, 9),
        fc.constantFrom('', '+91', '+91 ', '0', '0 ', '0091', '0091 ', '91', '(+91) ', '+91-'),
        separator,
        (first, rest, prefix, gap) => {
          const number = first + rest;
          const value = normalized({ kind: 'phone', value: `${prefix}${number.slice(0, 5)}${gap}${number.slice(5)}` });
          expect(value.normalized).toBe(`+91${number}`);
          expectIdempotent(value);
        },
      ),
    );
  });

  it('UPI addresses ignore case and surrounding space, and are idempotent', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[a-z0-9._-]{2,40}$/),
        fc.constantFrom('okaxis', 'okhdfcbank', 'oksbi', 'okicici', 'ybl', 'ibl', 'axl', 'paytm', 'upi', 'apl'),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        fc.constantFrom('', ' ', '\t'),
        (handle, provider, upper, pad) => {
          const value = normalized({ kind: 'upi', value: `${pad}${casing(`${handle}@${provider}`, upper)}${pad}` });
          expect(value.normalized).toBe(`${handle}@${provider}`);
          expectIdempotent(value);
        },
      ),
    );
  });

  it('e-mail addresses normalise and are idempotent', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), (address, upper) => {
        const value = normalized({ kind: 'email', value: casing(address, upper) });
        expect(value.normalized).toBe(address.toLowerCase());
        expectIdempotent(value);
      }),
    );
  });

  it('bank accounts ignore spacing and IFSC case, and are idempotent', () => {
    const ifsc = fc.tuple(fc.stringMatching(/^[A-Z]{4}$/), fc.stringMatching(/^[A-Z0-9]{6}$/)).map(([bank, branch]) => `${bank}0${branch}`);
    fc.assert(
      fc.property(digits(9, 18), ifsc, separator, fc.boolean(), (account, code, gap, lower) => {
        const value = normalized({
          kind: 'bank_account',
          accountNumber: `${account.slice(0, 4)}${gap === '.' ? '' : gap}${account.slice(4)}`,
          ifsc: lower ? code.toLowerCase() : code,
        });
        expect(value.normalized).toBe(`${code}:${account}`);
        expectIdempotent(value);
      }),
    );
  });

  it('platform handles ignore case and a leading @, and are idempotent', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...KNOWN_PLATFORMS.filter((platform) => platform !== 'whatsapp'), 'other:tinder', 'other:free-fire'),
        fc.stringMatching(/^[a-z][a-z0-9_]{4,14}$/),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        (platform, name, at, upper) => {
          const handle = platform === 'facebook' ? name.replace(/_/g, '.') : name;
          const value = normalized({ kind: 'platform_handle', platform: platform.toUpperCase(), handle: `${at ? '@' : ''}${casing(handle, upper)}` });
          expect(value.normalized).toBe(`${platform}:${handle}`);
          expectIdempotent(value);
        },
      ),
    );
  });

  it('numeric account ids drop leading zeros and are idempotent', () => {
    fc.assert(
      fc.property(fc.constantFrom(...KNOWN_PLATFORMS), fc.bigInt({ min: 1n, max: 10n ** 19n }), fc.nat({ max: 3 }), (platform, id, zeros) => {
        const value = normalized({ kind: 'platform_account_id', platform, accountId: `${'0'.repeat(zeros)}${id}` });
        expect(value.normalized).toBe(`${platform}:${id}`);
        expectIdempotent(value);
      }),
    );
  });

  it('web links are idempotent, and tracking parameters and fragments never change them', () => {
    fc.assert(
      fc.property(
        fc.webUrl({ withQueryParameters: true, withFragments: true }),
        fc.constantFrom('utm_source=whatsapp', 'fbclid=IwAR0abc', 'igshid=MzRlODBiNWFlZA==', 'gclid=abc', 'UTM_Medium=chat'),
        (link, tracking) => {
          const result = normalizeIdentifier({ kind: 'url', value: link });
          if (!result.ok) return;
          expectIdempotent(result.value);
          const [withoutFragment] = link.split('#');
          const tracked = `${withoutFragment}${withoutFragment!.includes('?') ? '&' : '?'}${tracking}#shared`;
          expect(normalized({ kind: 'url', value: tracked }).normalized).toBe(result.value.normalized);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('profile links on known platforms derive the handle given directly', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(
          ['https://www.instagram.com/', 'instagram'],
          ['https://instagram.com/', 'instagram'],
          ['https://twitter.com/', 'x'],
          ['https://x.com/', 'x'],
          ['https://t.me/', 'telegram'],
          ['https://telegram.me/', 'telegram'],
        ),
        fc.stringMatching(/^[a-z][a-z0-9_]{4,14}$/),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        ([base, platform], handle, upper) => {
          fc.pre(!['explore', 'intent', 'search', 'login', 'share', 'joinchat', 'proxy', 'socks', 'signup', 'settings', 'messages', 'notifications'].includes(handle));
          const url = normalized({ kind: 'url', value: `${base}${casing(handle, upper)}/` });
          const direct = normalized({ kind: 'platform_handle', platform, handle });
          expect(url.kind === 'url' && url.derived?.normalized).toBe(direct.normalized);
        },
      ),
    );
  });

  it('an IMEI with or without its check digit gives the same 15 digits, and every single-digit typo is caught', () => {
    fc.assert(
      fc.property(digits(14, 14), fc.nat({ max: 14 }), fc.integer({ min: 1, max: 9 }), (body, position, shift) => {
        fc.pre(!/^0+$/.test(body));
        const full = normalized({ kind: 'imei', value: body });
        expect(normalized({ kind: 'imei', value: full.normalized }).normalized).toBe(full.normalized);
        expectIdempotent(full);
        const typo = [...full.normalized];
        typo[position] = String((Number(typo[position]) + shift) % 10);
        const typoed = typo.join('');
        fc.pre(!/^0+$/.test(typoed.slice(0, 14)));
        expect(normalizeIdentifier({ kind: 'imei', value: typoed }).ok).toBe(false);
      }),
    );
  });
});
